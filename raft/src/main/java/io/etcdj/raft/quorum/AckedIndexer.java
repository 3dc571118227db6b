package io.etcdj.raft.quorum;

/** The highest log index a voter is known to hold durably; 0 if unknown. */
@FunctionalInterface
public interface AckedIndexer {
    long ackedIndex(long voterId);
}
