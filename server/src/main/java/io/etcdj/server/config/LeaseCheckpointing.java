package io.etcdj.server.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lease checkpointing from etcd's flags: the 3.5 names ({@code --experimental-enable-lease-checkpoint},
 * {@code --experimental-enable-lease-checkpoint-persist}, {@code --experimental-lease-checkpoint-interval})
 * and the 3.6 feature gates LeaseCheckpoint and LeaseCheckpointPersist.
 *
 * <p>Deliberate difference from etcd: checkpointing is ON by default (etcd: off), so a restart or
 * a new leader does not give every lease its full TTL again. Persisting is implied, as in etcd 3.6
 * (whose lessor persists checkpoints once the cluster version is 3.6); the persist flag and gate
 * are accepted and validated only.
 *
 * @param enabled  the leader proposes periodic checkpoints
 * @param interval how often each lease is checkpointed (etcd's default 5 m)
 */
public record LeaseCheckpointing(boolean enabled, Duration interval) {

    /** etcd's defaultLeaseCheckpointInterval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    /** etcd 3.6's server feature gates (server/features/etcd_features.go). */
    static final Set<String> KNOWN_GATES = Set.of("StopGRPCServiceOnDefrag", "InitialCorruptCheck", "CompactHashCheck",
            "LeaseCheckpoint", "LeaseCheckpointPersist", "SetMemberLocalAddr", "TxnModeWriteWithSharedBuffer");

    static LeaseCheckpointing from(ParsedFlags flags) throws ConfigException {
        Map<String, Boolean> gates = featureGates(flags.string("feature-gates"));
        boolean enabled = choose(flags, gates, "experimental-enable-lease-checkpoint", "LeaseCheckpoint");
        boolean persist = choose(flags, gates, "experimental-enable-lease-checkpoint-persist", "LeaseCheckpointPersist");
        if (persist && !enabled) {
            throw new ConfigException("enabling feature gate LeaseCheckpointPersist requires enabling feature gate LeaseCheckpoint");
        }
        Duration interval = flags.duration("experimental-lease-checkpoint-interval"); // never negative: the parser refuses "-1s"
        return new LeaseCheckpointing(enabled, interval.isZero() ? DEFAULT_INTERVAL : interval);
    }

    /** The old flag or the gate, whichever is given (not both, as etcd 3.6); else the flag's default. */
    private static boolean choose(ParsedFlags flags, Map<String, Boolean> gates, String flag, String gate)
            throws ConfigException {
        if (flags.isSet(flag) && gates.containsKey(gate)) {
            throw new ConfigException("cannot specify both --" + flag + " and --feature-gates=" + gate);
        }
        Boolean fromGate = gates.get(gate);
        return fromGate != null ? fromGate : flags.bool(flag);
    }

    /** {@code Name=true,Other=false} as Go's featuregate parses it; unknown names are refused. */
    static Map<String, Boolean> featureGates(String text) throws ConfigException {
        Map<String, Boolean> gates = new LinkedHashMap<>();
        if (text.isBlank()) {
            return gates;
        }
        for (String part : text.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("--feature-gates: missing bool value for " + item);
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (!KNOWN_GATES.contains(name)) {
                throw new ConfigException("--feature-gates: unrecognized feature gate: " + name);
            }
            if (FlagType.BOOL.validate(value) != null) {
                throw new ConfigException("--feature-gates: invalid value of " + name + "=" + value);
            }
            gates.put(name, FlagType.parseBool(value));
        }
        return gates;
    }
}
