package io.etcdj.raft;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Everything a raft node is started with. Build with {@link #builder(long, Storage)}; the
 * constructor validates and normalises (0 limits mean "no limit" where noted).
 *
 * @param id this node's id, never 0 (0 means "none" in raft)
 * @param electionTick ticks without hearing from a leader before campaigning; the actual
 *     timeout is drawn from {@code [electionTick, 2 * electionTick)} (§5.2)
 * @param heartbeatTick ticks between leader heartbeats; must be below electionTick
 * @param applied the last applied index on restart; committed entries up to it are not
 *     returned again
 * @param maxSizePerMsgBytes payload bytes per append message; 0 means one entry per message
 * @param maxCommittedSizePerReadyBytes payload bytes of committed entries per Ready; 0 means
 *     maxSizePerMsgBytes (as in etcd)
 * @param maxUncommittedEntriesSizeBytes payload bytes the leader accepts but has not committed;
 *     proposals beyond it are dropped; 0 means no limit
 * @param maxInflightMsgs unacknowledged appends per follower in REPLICATE
 * @param maxInflightBytes unacknowledged append payload bytes per follower; 0 means no limit
 * @param random source of the randomized election timeout; inject a seeded one to replay runs
 * @param logger where transitions are reported
 */
public record Config(
        long id,
        int electionTick,
        int heartbeatTick,
        Storage storage,
        long applied,
        long maxSizePerMsgBytes,
        long maxCommittedSizePerReadyBytes,
        long maxUncommittedEntriesSizeBytes,
        int maxInflightMsgs,
        long maxInflightBytes,
        boolean checkQuorum,
        boolean preVote,
        ReadOnlyOption readOnlyOption,
        boolean disableProposalForwarding,
        RandomGenerator random,
        RaftLogger logger) {

    public Config {
        require(id != 0, "cannot use none as id");
        require(heartbeatTick > 0, "heartbeat tick must be greater than 0");
        require(electionTick > heartbeatTick, "election tick must be greater than heartbeat tick");
        require(storage != null, "storage cannot be nil");
        require(applied >= 0, "applied must not be negative");
        require(maxSizePerMsgBytes >= 0, "max size per message must not be negative");
        require(maxCommittedSizePerReadyBytes >= 0, "max committed size per ready must not be negative");
        require(maxUncommittedEntriesSizeBytes >= 0, "max uncommitted entries size must not be negative");
        require(maxInflightMsgs > 0, "max inflight messages must be greater than 0");
        require(maxInflightBytes >= 0, "max inflight bytes must not be negative");
        require(maxInflightBytes == 0 || maxInflightBytes >= maxSizePerMsgBytes,
                "max inflight bytes must be >= max message size");
        if (readOnlyOption == null) {
            readOnlyOption = ReadOnlyOption.SAFE;
        }
        require(readOnlyOption != ReadOnlyOption.LEASE_BASED || checkQuorum,
                "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased");
        if (maxCommittedSizePerReadyBytes == 0) {
            maxCommittedSizePerReadyBytes = maxSizePerMsgBytes;
        }
        if (random == null) {
            // Deterministic default: seeded by the id, so a run replays without injection.
            random = new SplittableRandom(id);
        }
        if (logger == null) {
            logger = RaftLogger.NOOP;
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Uncommitted size limit with 0 read as unlimited. */
    long uncommittedSizeLimitBytes() {
        return maxUncommittedEntriesSizeBytes == 0 ? Long.MAX_VALUE : maxUncommittedEntriesSizeBytes;
    }

    public static Builder builder(long id, Storage storage) {
        return new Builder(id, storage);
    }

    /** Defaults as in etcd 3.5+ (PreVote and CheckQuorum on). */
    public static final class Builder {
        private final long id;
        private final Storage storage;
        private int electionTick = 10;
        private int heartbeatTick = 1;
        private long applied;
        private long maxSizePerMsgBytes = 1024 * 1024;
        private long maxCommittedSizePerReadyBytes;
        private long maxUncommittedEntriesSizeBytes;
        private int maxInflightMsgs = 256;
        private long maxInflightBytes;
        private boolean checkQuorum = true;
        private boolean preVote = true;
        private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
        private boolean disableProposalForwarding;
        private RandomGenerator random;
        private RaftLogger logger = RaftLogger.NOOP;

        private Builder(long id, Storage storage) {
            this.id = id;
            this.storage = storage;
        }

        public Builder electionTick(int ticks) {
            this.electionTick = ticks;
            return this;
        }

        public Builder heartbeatTick(int ticks) {
            this.heartbeatTick = ticks;
            return this;
        }

        public Builder applied(long index) {
            this.applied = index;
            return this;
        }

        public Builder maxSizePerMsgBytes(long bytes) {
            this.maxSizePerMsgBytes = bytes;
            return this;
        }

        public Builder maxCommittedSizePerReadyBytes(long bytes) {
            this.maxCommittedSizePerReadyBytes = bytes;
            return this;
        }

        public Builder maxUncommittedEntriesSizeBytes(long bytes) {
            this.maxUncommittedEntriesSizeBytes = bytes;
            return this;
        }

        public Builder maxInflightMsgs(int count) {
            this.maxInflightMsgs = count;
            return this;
        }

        public Builder maxInflightBytes(long bytes) {
            this.maxInflightBytes = bytes;
            return this;
        }

        public Builder checkQuorum(boolean enabled) {
            this.checkQuorum = enabled;
            return this;
        }

        public Builder preVote(boolean enabled) {
            this.preVote = enabled;
            return this;
        }

        public Builder readOnlyOption(ReadOnlyOption option) {
            this.readOnlyOption = option;
            return this;
        }

        public Builder disableProposalForwarding(boolean disabled) {
            this.disableProposalForwarding = disabled;
            return this;
        }

        public Builder random(RandomGenerator generator) {
            this.random = generator;
            return this;
        }

        public Builder logger(RaftLogger raftLogger) {
            this.logger = raftLogger;
            return this;
        }

        public Config build() {
            return new Config(id, electionTick, heartbeatTick, storage, applied, maxSizePerMsgBytes,
                    maxCommittedSizePerReadyBytes, maxUncommittedEntriesSizeBytes, maxInflightMsgs,
                    maxInflightBytes, checkQuorum, preVote, readOnlyOption, disableProposalForwarding,
                    random, logger);
        }
    }
}
