package io.etcdj.raft;

import org.junit.jupiter.api.Test;

class DebugSeedTest {
    @Test
    void dbg() throws Exception {
        var m = RandomizedClusterTest.class.getDeclaredMethod("safetyUnderRandomFaultsAndLivenessAfterHealing", long.class);
        try {
            m.invoke(new RandomizedClusterTest(), Long.getLong("seed", 0));
        } catch (java.lang.reflect.InvocationTargetException e) {
            System.out.println("FAILED " + e.getCause().getMessage());
        }
    }
}
