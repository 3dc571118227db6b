package io.etcdj.server.etcdmain;

import io.etcdj.server.config.ConfigException;
import io.etcdj.server.config.ConfigFile;
import io.etcdj.server.config.EtcdFlags;
import io.etcdj.server.config.FlagParser;
import io.etcdj.server.config.ParsedFlags;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.embed.Etcd;
import io.etcdj.server.version.Architecture;
import io.etcdj.server.version.Version;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/etcd}: parses etcd's flags, refuses unsupported architectures as etcd does, starts
 * the member and runs until SIGTERM/SIGINT, then shuts down gracefully.
 *
 * <p>Exit codes follow etcd: 0 after {@code --version}/{@code --help} or a clean stop, 2 for a
 * flag usage error, 1 for anything else that stops start-up.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--version") || Arrays.asList(args).contains("-version")) {
            out.print(Version.describe());
            return 0;
        }
        String arch = Architecture.current();
        if (!Architecture.permitted(arch, environment.get("ETCD_UNSUPPORTED_ARCH"))) {
            log.atError().addKeyValue("arch", arch)
                    .log("Refusing to run etcd on unsupported architecture since ETCD_UNSUPPORTED_ARCH is not set");
            return 1;
        }
        if (!Architecture.supported(arch)) {
            log.atWarn().addKeyValue("arch", arch)
                    .log("running etcd on unsupported architecture since ETCD_UNSUPPORTED_ARCH is set");
        }
        ServerConfig config;
        try {
            config = configure(args, environment);
        } catch (FlagParser.HelpRequested help) {
            out.print(Usage.text());
            return 0;
        } catch (ConfigException e) {
            if (e.usageError()) {
                err.println(e.getMessage());
                err.print(Usage.text());
                return 2;
            }
            log.atError().log("error verifying flags, {}. See 'etcd --help'.", e.getMessage());
            return 1;
        }
        return serve(config);
    }

    private static ServerConfig configure(String[] args, Map<String, String> environment)
            throws ConfigException, FlagParser.HelpRequested {
        FlagParser parser = new FlagParser(EtcdFlags.all());
        ParsedFlags flags = parser.parse(args, environment);
        List<String> warnings = new ArrayList<>(parser.warnings());
        if (!flags.string("config-file").isEmpty()) {
            // etcd: with a config file, every other flag and environment variable is ignored.
            Path file = Path.of(flags.string("config-file"));
            warnings.clear();
            flags = ConfigFile.load(file, EtcdFlags.all(), warnings);
            warnings.add("loaded server configuration from " + file + "; other flags and environment variables are ignored");
        }
        ServerConfig config = ServerConfig.from(flags);
        Logging.setLevel(config.logLevel());
        log.atInfo().addKeyValue("etcdj-version", Version.ETCDJ).addKeyValue("etcd-api-version", Version.API)
                .addKeyValue("java-version", Runtime.version().toString()).addKeyValue("arch", Architecture.current())
                .log("starting etcd");
        warnings.forEach(w -> log.warn(w));
        return config;
    }

    private static int serve(ServerConfig config) {
        Etcd etcd;
        try {
            etcd = Etcd.start(config, Main::fatal);
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("failed to start: {}", rootMessage(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.atInfo().log("received signal; shutting down");
            etcd.close();
            stopped.countDown();
        }, "etcd-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A failure that stops the server core (etcd panics): log it and exit at once. */
    private static void fatal(Throwable error) {
        log.atError().setCause(error).log("stopping on an unrecoverable error: {}", rootMessage(error));
        Runtime.getRuntime().halt(1);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
