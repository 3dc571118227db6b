package io.etcdj.client;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code --endpoints} value as etcd's tools accept it: a comma-separated list of
 * {@code host:port} or {@code http://host:port}. TLS is not supported yet, so {@code https://} is
 * refused rather than silently spoken in plaintext.
 */
public final class Endpoints {

    /** Far beyond any real cluster; bounds the parse loop and the channel pool. */
    static final int MAX_ENDPOINTS = 64;

    /** One server address. */
    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private Endpoints() {
    }

    /** Parses {@code list}; throws IllegalArgumentException naming the bad entry. */
    public static List<Endpoint> parse(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("no endpoints given");
        }
        String[] parts = list.split(",", -1);
        if (parts.length > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("too many endpoints: " + parts.length + " > " + MAX_ENDPOINTS);
        }
        List<Endpoint> out = new ArrayList<>(parts.length);
        for (String raw : parts) {
            out.add(parseOne(raw.trim()));
        }
        return List.copyOf(out);
    }

    private static Endpoint parseOne(String raw) {
        String s = raw;
        if (s.startsWith("https://")) {
            throw new IllegalArgumentException("TLS endpoints are not supported yet: " + raw);
        }
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port: '" + raw + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in endpoint '" + raw + "'", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in endpoint '" + raw + "'");
        }
        return new Endpoint(host, port);
    }
}
