package io.etcdj.server.config;

/**
 * A bad flag, value or config file: start-up stops and prints the message, which names it.
 * A usage error (unknown flag, unparsable value) is reported as Go's flag package does, with
 * usage and exit code 2; a verification error (positional argument, inconsistent values) as
 * etcd's "error verifying flags" with exit code 1.
 */
public final class ConfigException extends Exception {

    private final boolean usageError;

    public ConfigException(String message) {
        this(message, false);
    }

    public ConfigException(String message, boolean usageError) {
        super(message);
        this.usageError = usageError;
    }

    public boolean usageError() {
        return usageError;
    }
}
