package io.etcdj.etcdctl;

import java.io.PrintStream;

/**
 * {@code bin/etcdctl}. The Java etcdctl is not built yet: only {@code version} answers, and every
 * other command says so and exits with etcdctl's "bad feature" code (4) rather than pretending.
 * Use the Go etcdctl (Debian's etcd-client) against etcdj meanwhile; it is what the e2e tests use.
 */
public final class Main {

    /** etcdctl's exit code for an unsupported feature ({@code pkg/cobrautl}). */
    static final int EXIT_BAD_FEATURE = 4;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("version") || args[0].equals("--version"))) {
            String version = Main.class.getPackage().getImplementationVersion();
            out.println("etcdctl version: " + (version == null ? "dev" : version) + " (etcdj)");
            out.println("API version: 3.6");
            return 0;
        }
        err.println("Error: etcdj's etcdctl implements only 'version' so far;"
                + " use the Go etcdctl (apt-get install etcd-client) meanwhile");
        return EXIT_BAD_FEATURE;
    }
}
