package io.etcdj.raft.simulation;

import io.etcdj.raft.RawNode;
import java.lang.reflect.Field;

/**
 * Flips a test-only switch inside the core (a package-private field of the RawNode's raft
 * state) from this package. Reflection keeps the core's API free of test hooks.
 */
final class CoreSwitch {

    private CoreSwitch() {
    }

    static void set(RawNode node, String field, boolean value) {
        try {
            Field raftField = RawNode.class.getDeclaredField("raft");
            raftField.setAccessible(true);
            Object raft = raftField.get(node);
            Field flag = raft.getClass().getDeclaredField(field);
            flag.setAccessible(true);
            flag.setBoolean(raft, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("core has no switch " + field, e);
        }
    }
}
