package io.etcdj.raft;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A point-in-time view of a node. {@code progress} is empty unless the node leads; it is ordered
 * by id.
 */
public record Status(long id, HardState hardState, SoftState softState, long applied,
        Map<Long, ProgressStatus> progress, long leadTransferee, ConfState confState) {
    public Status {
        progress = Collections.unmodifiableSortedMap(new TreeMap<>(progress));
    }
}
