package io.etcdj.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The validated configuration the server starts from. Built from {@link ParsedFlags}; every
 * check that etcd makes at start-up is made here, so a bad value stops start-up naming the flag.
 *
 * @param name                     member name ({@code --name})
 * @param dataDir                  data directory ({@code --data-dir}, default {@code <name>.etcd})
 * @param walDir                   dedicated WAL directory, or null for {@code <data-dir>/member/wal}
 * @param listenClientUrls         where gRPC and HTTP are served
 * @param advertiseClientUrls      what the member tells clients
 * @param initialAdvertisePeerUrls this member's peer URLs, as told to the cluster
 * @param initialCluster           member name → peer URLs at bootstrap, in flag order
 * @param initialClusterToken      mixed into member and cluster ids
 * @param initialClusterNew        {@code --initial-cluster-state new} (else {@code existing})
 * @param heartbeatIntervalMs      raft tick length
 * @param electionTimeoutMs        raft election timeout (a whole number of ticks)
 * @param snapshotCount            applied entries between raft snapshots
 * @param maxSnapshots             snapshot files kept (0 = all)
 * @param maxWals                  WAL segment files kept (0 = all)
 * @param quotaBackendBytes        backend size that raises the NOSPACE alarm
 * @param maxTxnOps                operations allowed in one txn branch
 * @param maxRequestBytes          largest request accepted
 * @param maxConcurrentStreams     {@code --max-concurrent-streams}: HTTP/2 streams a client may have open
 *                                 on one connection (0 = no limit, as in etcd)
 * @param grpcKeepAliveInterval    {@code --grpc-keepalive-interval}: idle time before the server pings a client
 * @param grpcKeepAliveTimeout     {@code --grpc-keepalive-timeout}: how long a pinged client may stay silent
 * @param grpcKeepAliveMinTime     {@code --grpc-keepalive-min-time}: how often a client may ping
 * @param unsafeNoFsync            skip fsync (tests only: loses acknowledged writes on power loss)
 * @param watchProgressNotifyInterval how often idle synced watchers with progress_notify hear the revision
 * @param leaseCheckpointing       whether and how often the leader checkpoints remaining lease TTLs
 * @param logLevel                 {@code debug|info|warn|error|panic|fatal}
 */
public record ServerConfig(
        String name,
        Path dataDir,
        Path walDir,
        List<URI> listenClientUrls,
        List<URI> advertiseClientUrls,
        List<String> initialAdvertisePeerUrls,
        Map<String, List<String>> initialCluster,
        String initialClusterToken,
        boolean initialClusterNew,
        long heartbeatIntervalMs,
        long electionTimeoutMs,
        long snapshotCount,
        int maxSnapshots,
        int maxWals,
        long quotaBackendBytes,
        int maxTxnOps,
        long maxRequestBytes,
        long maxConcurrentStreams,
        Duration grpcKeepAliveInterval,
        Duration grpcKeepAliveTimeout,
        Duration grpcKeepAliveMinTime,
        boolean unsafeNoFsync,
        Duration watchProgressNotifyInterval,
        LeaseCheckpointing leaseCheckpointing,
        String logLevel) {

    /** etcd's default backend quota when {@code --quota-backend-bytes} is 0. */
    public static final long DEFAULT_QUOTA_BYTES = 2L << 30;
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "dpanic", "panic", "fatal");

    /**
     * The SETTINGS_MAX_CONCURRENT_STREAMS this member advertises. etcd sends the flag's value, up
     * to 2^32-1 (its default), and nothing for 0. We send at most 2^31-1: grpc-java's OkHttp
     * transport reads the setting as a signed int, takes 2^32-1 for -1 and never opens a stream
     * (docs/benchmarks.md, "Interop finding"), and HTTP/2 has no way to say "no limit" once a
     * server library always sends the setting. 2^31-1 streams is no limit in practice.
     */
    public long advertisedMaxConcurrentStreams() {
        return maxConcurrentStreams == 0 ? Integer.MAX_VALUE : Math.min(maxConcurrentStreams, Integer.MAX_VALUE);
    }

    /** Ticks in an election timeout. */
    public int electionTicks() {
        return (int) (electionTimeoutMs / heartbeatIntervalMs);
    }

    public static ServerConfig from(ParsedFlags flags) throws ConfigException {
        String name = flags.string("name");
        String dataDir = flags.isSet("data-dir") ? flags.string("data-dir") : name + ".etcd";
        if (dataDir.isEmpty()) {
            throw new ConfigException("--data-dir must not be empty");
        }
        String walDir = flags.string("wal-dir");
        String logLevel = logLevel(flags);
        List<URI> listen = clientUrls(flags);
        long maxRequestBytes = flags.unsigned("max-request-bytes");
        if (maxRequestBytes <= 0 || maxRequestBytes > Integer.MAX_VALUE - 512 * 1024) {
            throw new ConfigException("--max-request-bytes " + maxRequestBytes + " out of range");
        }
        long heartbeat = flags.unsigned("heartbeat-interval");
        long election = flags.unsigned("election-timeout");
        checkRaftTiming(heartbeat, election);
        long quota = flags.int64("quota-backend-bytes");
        if (quota < 0) {
            throw new ConfigException("--quota-backend-bytes " + quota + " must not be negative");
        }
        String state = flags.string("initial-cluster-state");
        if (!state.equals("new") && !state.equals("existing")) {
            throw new ConfigException("invalid value \"" + state + "\" for flag -initial-cluster-state: valid values are \"new\" or \"existing\"");
        }
        List<String> peerUrls = flags.list("initial-advertise-peer-urls");
        Map<String, List<String>> initialCluster = initialCluster(flags.string("initial-cluster"));
        checkOwnPeerUrls(name, peerUrls, initialCluster);
        return new ServerConfig(name, Path.of(dataDir), walDir.isEmpty() ? null : Path.of(walDir), listen,
                urls(flags.list("advertise-client-urls")), peerUrls, initialCluster,
                flags.string("initial-cluster-token"), state.equals("new"), heartbeat, election,
                Math.max(1, flags.unsigned("snapshot-count")), intFlag(flags, "max-snapshots"),
                intFlag(flags, "max-wals"), quota == 0 ? DEFAULT_QUOTA_BYTES : quota,
                intFlag(flags, "max-txn-ops"), maxRequestBytes, flags.uint32("max-concurrent-streams"),
                flags.duration("grpc-keepalive-interval"), flags.duration("grpc-keepalive-timeout"),
                flags.duration("grpc-keepalive-min-time"),
                flags.bool("unsafe-no-fsync"),
                progressNotifyInterval(flags), LeaseCheckpointing.from(flags), logLevel);
    }

    /** 3.6's name wins; the 3.5 experimental name is still accepted, as etcd 3.6 does. */
    private static Duration progressNotifyInterval(ParsedFlags flags) throws ConfigException {
        String name = !flags.isSet("watch-progress-notify-interval") && flags.isSet("experimental-watch-progress-notify-interval")
                ? "experimental-watch-progress-notify-interval" : "watch-progress-notify-interval";
        Duration interval = flags.duration(name);
        if (interval.isNegative() || interval.isZero()) {
            throw new ConfigException("--" + name + " must be positive, got " + flags.string(name));
        }
        return interval;
    }

    private static String logLevel(ParsedFlags flags) throws ConfigException {
        String logger = flags.string("logger");
        if (!logger.equals("zap")) {
            throw new ConfigException("unknown logger option " + logger);
        }
        String logLevel = flags.string("log-level").toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException("unknown log-level " + logLevel + ": only supports debug, info, warn, error, panic, or fatal");
        }
        return logLevel;
    }

    private static List<URI> clientUrls(ParsedFlags flags) throws ConfigException {
        List<URI> listen = urls(flags.list("listen-client-urls"));
        if (listen.isEmpty()) {
            throw new ConfigException("--listen-client-urls must not be empty");
        }
        for (URI uri : listen) {
            if (!uri.getScheme().equals("http")) {
                throw new ConfigException("--listen-client-urls " + uri + ": only http listeners are supported in this etcdj version");
            }
            if (uri.getPort() < 0) {
                throw new ConfigException("--listen-client-urls " + uri + ": missing port in address");
            }
        }
        return listen;
    }

    /** etcd's rules: election ≥ 5 × heartbeat, election ≤ 50 s. */
    private static void checkRaftTiming(long heartbeatMs, long electionMs) throws ConfigException {
        if (heartbeatMs == 0) {
            throw new ConfigException("--heartbeat-interval must be greater than 0");
        }
        if (5 * heartbeatMs > electionMs) {
            throw new ConfigException("--election-timeout[" + electionMs + "ms] should be at least as 5 times as --heartbeat-interval[" + heartbeatMs + "ms]");
        }
        if (electionMs > 50_000) {
            throw new ConfigException("--election-timeout[" + electionMs + "ms] is too long, and should be set less than 50000ms");
        }
    }

    /** {@code name=url,name=url2,other=url3} → name → URLs, in order. */
    static Map<String, List<String>> initialCluster(String text) throws ConfigException {
        Map<String, List<String>> cluster = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new ConfigException("--initial-cluster: invalid entry \"" + part + "\" (want name=peer-url)");
            }
            String problem = FlagType.URLS.validate(part.substring(eq + 1));
            if (problem != null) {
                throw new ConfigException("--initial-cluster: " + problem);
            }
            cluster.computeIfAbsent(part.substring(0, eq), k -> new ArrayList<>()).add(part.substring(eq + 1));
        }
        return cluster;
    }

    private static void checkOwnPeerUrls(String name, List<String> advertised, Map<String, List<String>> cluster)
            throws ConfigException {
        List<String> listed = cluster.get(name);
        if (listed == null) {
            throw new ConfigException("couldn't find local name \"" + name + "\" in the initial cluster configuration");
        }
        if (!new java.util.TreeSet<>(listed).equals(new java.util.TreeSet<>(advertised))) {
            throw new ConfigException("--initial-cluster has " + name + "=" + String.join(",", listed)
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertised));
        }
    }

    private static int intFlag(ParsedFlags flags, String name) throws ConfigException {
        long value = flags.unsigned(name);
        if (value > Integer.MAX_VALUE) {
            throw new ConfigException("--" + name + " " + value + " is too large");
        }
        return (int) value;
    }

    private static List<URI> urls(List<String> texts) {
        return texts.stream().map(URI::create).toList();
    }
}
