package io.etcdj.server.config;

/**
 * One etcd flag: its name (without dashes), value type, default as etcd prints it, and help.
 * {@code effective} is false for flags etcdj accepts for compatibility but does not act on yet;
 * setting one of those to a non-default value logs a warning rather than silently passing.
 */
public record FlagSpec(String name, FlagType type, String defaultValue, String usage, boolean effective) {

    /** The environment variable etcd reads for this flag: {@code ETCD_} + upper snake case. */
    public String environmentVariable() {
        return "ETCD_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
