package io.etcdj.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The validated configuration the server starts from. Built from {@link ParsedFlags}; every
 * check that etcd makes at start-up is made here, so a bad value stops start-up naming the flag.
 *
 * @param name                 member name ({@code --name})
 * @param dataDir              data directory ({@code --data-dir}, default {@code <name>.etcd})
 * @param listenClientUrls     where gRPC and HTTP are served ({@code --listen-client-urls})
 * @param advertiseClientUrls  what the member tells clients ({@code --advertise-client-urls})
 * @param maxRequestBytes      largest request accepted ({@code --max-request-bytes})
 * @param logLevel             {@code debug|info|warn|error|panic|fatal}
 */
public record ServerConfig(
        String name,
        Path dataDir,
        List<URI> listenClientUrls,
        List<URI> advertiseClientUrls,
        long maxRequestBytes,
        String logLevel) {

    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "dpanic", "panic", "fatal");

    public static ServerConfig from(ParsedFlags flags) throws ConfigException {
        String name = flags.string("name");
        String dataDir = flags.isSet("data-dir") ? flags.string("data-dir") : name + ".etcd";
        if (dataDir.isEmpty()) {
            throw new ConfigException("--data-dir must not be empty");
        }
        String logger = flags.string("logger");
        if (!logger.equals("zap")) {
            throw new ConfigException("unknown logger option " + logger);
        }
        String logLevel = flags.string("log-level").toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException("unknown log-level " + logLevel + ": only supports debug, info, warn, error, panic, or fatal");
        }
        List<URI> listen = urls(flags, "listen-client-urls");
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
        long maxRequestBytes = flags.unsigned("max-request-bytes");
        if (maxRequestBytes <= 0 || maxRequestBytes > Integer.MAX_VALUE - 512 * 1024) {
            throw new ConfigException("--max-request-bytes " + maxRequestBytes + " out of range");
        }
        return new ServerConfig(name, Path.of(dataDir), listen, urls(flags, "advertise-client-urls"),
                maxRequestBytes, logLevel);
    }

    private static List<URI> urls(ParsedFlags flags, String name) {
        return flags.list(name).stream().map(URI::create).toList();
    }
}
