package io.etcdj.server.etcdmain;

import io.etcdj.server.config.EtcdFlags;
import io.etcdj.server.config.FlagSpec;

/** {@code etcd --help}: every flag with its default, in etcd's layout. */
final class Usage {

    private Usage() {
    }

    static String text() {
        StringBuilder out = new StringBuilder(8192);
        out.append("Usage:\n\n  etcd [flags]\n    Start an etcd server.\n\n")
                .append("  etcd --version\n    Show the version of etcd.\n\n")
                .append("  etcd -h | --help\n    Show the help information about etcd.\n\n")
                .append("Flags (also settable through ETCD_<FLAG_NAME> environment variables):\n\n");
        for (FlagSpec spec : EtcdFlags.all().values()) {
            out.append("  --").append(spec.name());
            if (!spec.defaultValue().isEmpty()) {
                out.append(" '").append(spec.defaultValue()).append('\'');
            }
            out.append("\n    ").append(spec.usage());
            if (!spec.effective()) {
                out.append(" (accepted; no effect yet in etcdj)");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
