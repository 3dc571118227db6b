package io.etcdj.server.config;

import static io.etcdj.server.config.FlagType.BOOL;
import static io.etcdj.server.config.FlagType.DURATION;
import static io.etcdj.server.config.FlagType.INT64;
import static io.etcdj.server.config.FlagType.STRING;
import static io.etcdj.server.config.FlagType.STRINGS;
import static io.etcdj.server.config.FlagType.UINT;
import static io.etcdj.server.config.FlagType.UINT32;
import static io.etcdj.server.config.FlagType.URLS;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * etcd 3.6's server flags (names, types and defaults from its {@code etcd --help}), in the order
 * etcd documents them. Flags marked not effective are accepted, so an etcd command line starts
 * etcdj, but have no effect yet; {@link FlagParser} warns when one is set.
 */
public final class EtcdFlags {

    private static final Map<String, FlagSpec> SPECS = new LinkedHashMap<>();

    static {
        member();
        clustering();
        security();
        loggingAndMonitoring();
        experimental();
    }

    private EtcdFlags() {
    }

    public static Map<String, FlagSpec> all() {
        return SPECS;
    }

    private static void on(String name, FlagType type, String defaultValue, String usage) {
        SPECS.put(name, new FlagSpec(name, type, defaultValue, usage, true));
    }

    private static void accepted(String name, FlagType type, String defaultValue, String usage) {
        SPECS.put(name, new FlagSpec(name, type, defaultValue, usage, false));
    }

    private static void member() {
        on("name", STRING, "default", "Human-readable name for this member.");
        on("data-dir", STRING, "${name}.etcd", "Path to the data directory.");
        on("wal-dir", STRING, "", "Path to the dedicated wal directory.");
        on("snapshot-count", UINT, "10000", "Number of committed transactions to trigger a snapshot to disk.");
        on("heartbeat-interval", UINT, "100", "Time (in milliseconds) of a heartbeat interval.");
        on("election-timeout", UINT, "1000", "Time (in milliseconds) for an election to timeout.");
        accepted("initial-election-tick-advance", BOOL, "true", "Whether to fast-forward initial election ticks on boot for faster election.");
        accepted("listen-peer-urls", URLS, "http://localhost:2380", "List of URLs to listen on for peer traffic.");
        on("listen-client-urls", URLS, "http://localhost:2379", "List of URLs to listen on for client grpc traffic and http as long as --listen-client-http-urls is not specified.");
        accepted("listen-client-http-urls", URLS, "", "List of URLs to listen on for http only client traffic.");
        on("max-snapshots", UINT, "5", "Maximum number of snapshot files to retain (0 is unlimited).");
        on("max-wals", UINT, "5", "Maximum number of wal files to retain (0 is unlimited).");
        accepted("memory-mlock", BOOL, "false", "Enable to enforce etcd pages (in particular bbolt) to stay in RAM.");
        on("quota-backend-bytes", INT64, "0", "Sets the maximum size (in bytes) that the etcd backend database may consume. Exceeding this triggers an alarm.");
        accepted("backend-bbolt-freelist-type", STRING, "map", "BackendFreelistType specifies the type of freelist that boltdb backend uses.");
        accepted("backend-batch-interval", DURATION, "0s", "BackendBatchInterval is the maximum time before commit the backend transaction.");
        accepted("backend-batch-limit", UINT, "0", "BackendBatchLimit is the maximum operations before commit the backend transaction.");
        on("max-txn-ops", UINT, "128", "Maximum number of operations permitted in a transaction.");
        on("max-request-bytes", UINT, "1572864", "Maximum client request size in bytes the server will accept.");
        on("max-concurrent-streams", UINT32, "4294967295", "Maximum concurrent streams that each client can open at a time.");
        on("grpc-keepalive-min-time", DURATION, "5s", "Minimum duration interval that a client should wait before pinging server.");
        on("grpc-keepalive-interval", DURATION, "2h0m0s", "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable).");
        on("grpc-keepalive-timeout", DURATION, "20s", "Additional duration of wait before closing a non-responsive connection (0 to disable).");
        accepted("socket-reuse-port", BOOL, "false", "Enable to set socket option SO_REUSEPORT on listeners allowing rebinding of a port already in use.");
        accepted("socket-reuse-address", BOOL, "false", "Enable to set socket option SO_REUSEADDR on listeners allowing binding to an address in TIME_WAIT state.");
        accepted("enable-grpc-gateway", BOOL, "true", "Enable GRPC gateway.");
        accepted("raft-read-timeout", DURATION, "5s", "Read timeout set on each rafthttp connection.");
        accepted("raft-write-timeout", DURATION, "5s", "Write timeout set on each rafthttp connection.");
        on("feature-gates", STRING, "", "A set of key=value pairs that describe server level feature gates. etcdj acts on LeaseCheckpoint and LeaseCheckpointPersist (both on by default; etcd: off) and accepts the others without effect.");
        accepted("max-learners", UINT, "1", "Sets the maximum number of learners that can be available in the cluster membership.");
    }

    private static void clustering() {
        on("initial-advertise-peer-urls", URLS, "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster.");
        on("initial-cluster", STRING, "default=http://localhost:2380", "Initial cluster configuration for bootstrapping.");
        on("initial-cluster-state", STRING, "new", "Initial cluster state ('new' when bootstrapping a new cluster or 'existing' when adding new members to an existing cluster).");
        on("initial-cluster-token", STRING, "etcd-cluster", "Initial cluster token for the etcd cluster during bootstrap.");
        on("advertise-client-urls", URLS, "http://localhost:2379", "List of this member's client URLs to advertise to the public.");
        accepted("discovery-token", STRING, "", "V3 discovery: discovery token for the etcd cluster to be bootstrapped.");
        accepted("discovery-endpoints", STRINGS, "", "V3 discovery: List of gRPC endpoints of the discovery service.");
        accepted("discovery-srv", STRING, "", "DNS srv domain used to bootstrap the cluster.");
        accepted("discovery-srv-name", STRING, "", "Suffix to the dns srv name queried when bootstrapping.");
        accepted("strict-reconfig-check", BOOL, "true", "Reject reconfiguration requests that would cause quorum loss.");
        accepted("pre-vote", BOOL, "true", "Enable the raft Pre-Vote algorithm to prevent disruption when a node that has been partitioned away rejoins the cluster.");
        accepted("auto-compaction-retention", STRING, "0", "Auto compaction retention length. 0 means disable auto compaction.");
        accepted("auto-compaction-mode", STRING, "periodic", "Interpret 'auto-compaction-retention' one of: periodic|revision.");
    }

    private static void security() {
        for (String prefix : new String[] {"", "peer-"}) {
            accepted(prefix + "cert-file", STRING, "", "Path to the " + prefix + "server TLS cert file.");
            accepted(prefix + "key-file", STRING, "", "Path to the " + prefix + "server TLS key file.");
            accepted(prefix + "client-cert-auth", BOOL, "false", "Enable " + prefix + "client cert authentication.");
            accepted(prefix + "client-cert-file", STRING, "", "Path to an explicit peer client TLS cert file.");
            accepted(prefix + "client-key-file", STRING, "", "Path to an explicit peer client TLS key file.");
            accepted(prefix + "trusted-ca-file", STRING, "", "Path to the " + prefix + "server TLS trusted CA file.");
            accepted(prefix + "auto-tls", BOOL, "false", prefix + "TLS using generated certificates.");
            accepted(prefix + "crl-file", STRING, "", "Path to the " + prefix + "certificate revocation list file.");
        }
        accepted("client-crl-file", STRING, "", "Path to the client certificate revocation list file.");
        accepted("client-cert-allowed-hostname", STRING, "", "Allowed TLS hostname for client cert authentication.");
        accepted("peer-cert-allowed-cn", STRING, "", "Allowed CN for inter peer authentication.");
        accepted("peer-cert-allowed-hostname", STRING, "", "Allowed TLS hostname for inter peer authentication.");
        accepted("self-signed-cert-validity", UINT, "1", "The validity period of the client and peer certificates, unit is year.");
        accepted("cipher-suites", STRINGS, "", "Comma-separated list of supported TLS cipher suites between client/server and peers.");
        accepted("cors", STRINGS, "*", "Comma-separated whitelist of origins for CORS, or cross-origin resource sharing.");
        accepted("host-whitelist", STRINGS, "*", "Acceptable hostnames from HTTP client requests, if server is not secure.");
        accepted("tls-min-version", STRING, "TLS1.2", "Minimum TLS version supported by etcd.");
        accepted("tls-max-version", STRING, "", "Maximum TLS version supported by etcd.");
        accepted("auth-token", STRING, "simple", "Specify a v3 authentication token type and its options ('simple' or 'jwt').");
        accepted("bcrypt-cost", UINT, "10", "Specify the cost/strength of the bcrypt algorithm for hashing auth passwords.");
        accepted("auth-token-ttl", UINT, "300", "The lifetime in seconds of the auth token.");
    }

    private static void loggingAndMonitoring() {
        accepted("enable-pprof", BOOL, "false", "Enable runtime profiling data via HTTP server.");
        accepted("metrics", STRING, "basic", "Set level of detail for exported metrics, specify 'extensive' to include server side grpc histogram metrics.");
        accepted("listen-metrics-urls", URLS, "", "List of URLs to listen on for the metrics and health endpoints.");
        on("logger", STRING, "zap", "Currently only supports 'zap' for structured logging.");
        accepted("log-outputs", STRINGS, "default", "Specify 'stdout' or 'stderr' to skip journald logging even when running under systemd.");
        on("log-level", STRING, "info", "Configures log level. Only supports debug, info, warn, error, panic, or fatal.");
        accepted("log-format", STRING, "json", "Configures log format. Only supports json, console.");
        accepted("enable-log-rotation", BOOL, "false", "Enable log rotation of a single log-outputs file target.");
        accepted("log-rotation-config-json", STRING, "{\"maxsize\": 100, \"maxage\": 0, \"maxbackups\": 0, \"localtime\": false, \"compress\": false}", "Configures log rotation if enabled with a JSON logger config.");
        accepted("warning-unary-request-duration", DURATION, "300ms", "Time duration after which a warning is logged if a unary request takes more than this duration.");
        accepted("force-new-cluster", BOOL, "false", "Force to create a new one member cluster.");
        accepted("unsafe-no-fsync", BOOL, "false", "Disables fsync, unsafe, will cause data loss.");
        on("config-file", STRING, "", "Path to the server configuration file. Note that if a configuration file is provided, other command line flags and environment variables will be ignored.");
    }

    private static void experimental() {
        on("watch-progress-notify-interval", DURATION, "10m0s", "Duration of periodic watch progress notifications.");
        on("experimental-watch-progress-notify-interval", DURATION, "10m0s", "Deprecated; use --watch-progress-notify-interval.");
        accepted("corrupt-check-time", DURATION, "0s", "Duration of time between cluster corruption check passes.");
        accepted("compaction-batch-limit", UINT, "1000", "Sets the maximum revisions deleted in each compaction batch.");
        accepted("experimental-compaction-batch-limit", UINT, "1000", "Deprecated; use --compaction-batch-limit.");
        accepted("compaction-sleep-interval", DURATION, "10ms", "Sets the sleep interval between each compaction batch.");
        // Deliberate difference: etcd's defaults are false; etcdj checkpoints remaining lease TTLs by default (docs/lease.md).
        on("experimental-enable-lease-checkpoint", BOOL, "true", "Enable leader to send regular checkpoints to other members to prevent reset of remaining TTL on leader change. Deprecated; use the LeaseCheckpoint feature gate. etcdj default: true.");
        on("experimental-enable-lease-checkpoint-persist", BOOL, "true", "Enable persisting remainingTTL to prevent indefinite auto-renewal of long lived leases. Deprecated; use the LeaseCheckpointPersist feature gate. etcdj default: true (always persisted, as etcd 3.6).");
        on("experimental-lease-checkpoint-interval", DURATION, "5m0s", "Duration of time between two consecutive lease checkpoints.");
        accepted("snapshot-catchup-entries", UINT, "5000", "Number of entries for a slow follower to catch up after compacting the raft storage entries.");
        accepted("experimental-snapshot-catchup-entries", UINT, "5000", "Deprecated; use --snapshot-catchup-entries.");
        accepted("warning-apply-duration", DURATION, "100ms", "Time duration after which a warning is generated if request takes more time.");
    }
}
