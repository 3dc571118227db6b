package io.etcdj.server.version;

import java.util.Locale;
import java.util.Set;

/**
 * The CPU architecture in Go's spelling (amd64, arm64, ...), which is what operators pass in
 * {@code ETCD_UNSUPPORTED_ARCH}, and etcd's rule for refusing to run elsewhere.
 */
public final class Architecture {

    /** The architectures etcd 3.6 runs on without {@code ETCD_UNSUPPORTED_ARCH}. */
    static final Set<String> SUPPORTED = Set.of("amd64", "arm64", "ppc64le", "s390x");

    /** Overrides the detected architecture; used by tests of the refusal path. */
    static final String OVERRIDE_PROPERTY = "etcdj.arch";

    private Architecture() {
    }

    public static String current() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        return override != null ? override : goName(System.getProperty("os.arch"));
    }

    static String goName(String javaArch) {
        String arch = javaArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "arm32" -> "arm";
            default -> arch;
        };
    }

    /**
     * Whether this process may run on {@code arch}: a supported architecture, or one named
     * exactly by the {@code ETCD_UNSUPPORTED_ARCH} environment variable.
     */
    public static boolean permitted(String arch, String unsupportedArchEnv) {
        return SUPPORTED.contains(arch) || arch.equals(unsupportedArchEnv);
    }

    public static boolean supported(String arch) {
        return SUPPORTED.contains(arch);
    }
}
