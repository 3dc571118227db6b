package io.etcdj.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * The kinds of value etcd's flags take, each with Go's parsing rules, so that a bad value gets
 * the same complaint etcd gives: {@code invalid value "abc" for flag -snapshot-count: parse error}.
 */
public enum FlagType {
    STRING,
    BOOL,
    /** Go {@code uint}/{@code uint64}: decimal, no sign. */
    UINT,
    /** Go {@code int64}. */
    INT64,
    /** Go {@code time.Duration} text, e.g. {@code 5s}, {@code 100ms}, {@code 2h}. */
    DURATION,
    /** A comma-separated list of URLs (etcd's {@code URLsValue}). */
    URLS,
    /** A comma-separated list of strings. */
    STRINGS;

    /** Checks {@code text}; returns null when valid, else the reason in Go's words. */
    String validate(String text) {
        return switch (this) {
            case STRING, STRINGS -> null;
            case BOOL -> parseBool(text) == null ? "parse error" : null;
            case UINT -> isUnsigned(text) ? null : "parse error";
            case INT64 -> isSigned(text) ? null : "parse error";
            case DURATION -> GoDuration.parse(text) == null ? "time: invalid duration \"" + text + "\"" : null;
            case URLS -> validateUrls(text);
        };
    }

    static Boolean parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static boolean isUnsigned(String text) {
        if (text.isEmpty() || text.length() > 20) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        try {
            Long.parseUnsignedLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isSigned(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String validateUrls(String text) {
        if (text.isEmpty()) {
            return null;
        }
        for (String part : text.split(",")) {
            try {
                URI uri = new URI(part.trim());
                String scheme = uri.getScheme();
                if (scheme == null || !scheme.matches("https?|unixs?")) {
                    return "URL scheme must be http, https, unix, or unixs: " + part;
                }
                if (uri.getPath() != null && !uri.getPath().isEmpty() && scheme.startsWith("http")) {
                    return "URL must not contain a path: " + part;
                }
                if (uri.getHost() == null && scheme.startsWith("http")) {
                    return "URL address does not have the form \"host:port\": " + part;
                }
            } catch (URISyntaxException e) {
                return "parse \"" + part + "\": " + e.getReason();
            }
        }
        return null;
    }

    /** Go's {@code time.ParseDuration} for the units etcd's flags use. */
    static final class GoDuration {
        private GoDuration() {
        }

        static Duration parse(String text) {
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(text);
            long nanos = 0;
            int end = 0;
            while (m.find() && m.start() == end) {
                double amount = Double.parseDouble(m.group(1));
                long unit = switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                nanos += (long) (amount * unit);
                end = m.end();
            }
            return end == text.length() && end > 0 ? Duration.ofNanos(nanos) : null;
        }
    }
}
