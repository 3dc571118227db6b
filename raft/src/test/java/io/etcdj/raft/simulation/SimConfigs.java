package io.etcdj.raft.simulation;

import io.etcdj.raft.Config;
import io.etcdj.raft.MemoryStorage;
import java.util.random.RandomGenerator;

/** The raft configuration every simulated member runs: etcd's defaults, PreVote and CheckQuorum on. */
final class SimConfigs {

    private SimConfigs() {
    }

    static Config config(long id, MemoryStorage storage, long applied, RandomGenerator random, boolean preVote,
            long maxMsgBytes) {
        return Config.builder(id, storage)
                .electionTick(Simulation.ELECTION_TICK)
                .heartbeatTick(1)
                .applied(applied)
                .maxSizePerMsgBytes(maxMsgBytes)
                .checkQuorum(true)
                .preVote(preVote)
                .random(random)
                .build();
    }
}
