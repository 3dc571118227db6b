package io.etcdj.benchmarks.cli;

import java.util.SplittableRandom;

/** Per-client state helpers: each worker owns its random source, so none is shared across threads. */
final class Workers {

    private Workers() {
    }

    static SplittableRandom[] randoms(int clients, long seed) {
        if (clients < 1 || clients > BenchmarkCommand.MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients must be in [1, " + BenchmarkCommand.MAX_CLIENTS + "]");
        }
        SplittableRandom parent = new SplittableRandom(seed);
        SplittableRandom[] out = new SplittableRandom[clients];
        for (int i = 0; i < clients; i++) {
            out[i] = parent.split();
        }
        return out;
    }
}
