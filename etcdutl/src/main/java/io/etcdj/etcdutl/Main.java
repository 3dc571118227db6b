package io.etcdj.etcdutl;

import java.io.PrintStream;

/**
 * {@code bin/etcdutl}. etcdutl is not built yet: only {@code version} answers, and every
 * other command says so and exits with code 4 like etcdctl's "bad feature" rather than pretending.
 * It works on data directories and snapshot files, so it arrives with the storage issues.
 */
public final class Main {

    /** Exit code for an unsupported feature, as etcdctl uses it. */
    static final int EXIT_BAD_FEATURE = 4;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("version") || args[0].equals("--version"))) {
            String version = Main.class.getPackage().getImplementationVersion();
            out.println("etcdutl version: " + (version == null ? "dev" : version) + " (etcdj)");
            out.println("API version: 3.6");
            return 0;
        }
        err.println("Error: etcdj's etcdutl implements only 'version' so far");
        return EXIT_BAD_FEATURE;
    }
}
