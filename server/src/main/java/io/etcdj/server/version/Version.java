package io.etcdj.server.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The two versions a server reports. {@link #ETCDJ} is etcdj's own release; {@link #API} is the
 * etcd API version it implements, which is what clients see in {@code Status.version} and
 * {@code /version}: Kubernetes parses it as semver to decide which etcd features to use.
 */
public final class Version {

    /** etcdj's own version, from the Maven project version. */
    public static final String ETCDJ;
    /** The etcd API version implemented, e.g. {@code 3.6.0}. */
    public static final String API;

    static {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the server jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ETCDJ = properties.getProperty("etcdj.version");
        API = properties.getProperty("etcd.api.version");
    }

    private Version() {
    }

    /** The cluster version etcd reports for a cluster of {@link #API} members: major.minor.0. */
    public static String clusterVersion() {
        String[] parts = API.split("\\.");
        return parts[0] + "." + parts[1] + ".0";
    }

    /** What {@code etcd --version} prints, in etcd's layout. */
    public static String describe() {
        return "etcdj Version: " + ETCDJ + "\n"
                + "etcd API Version: " + API + "\n"
                + "Java Version: " + Runtime.version() + "\n"
                + "OS/Arch: " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT)
                + "/" + Architecture.current() + "\n";
    }
}
