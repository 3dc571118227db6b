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
    /**
     * etcd's {@code uint32} flags ({@code strconv.ParseUint(s, 0, 32)}): decimal, or with Go's
     * base prefix ({@code 0x}, {@code 0o}, {@code 0b}, a leading {@code 0} for octal), with
     * underscores between digits; complaints in strconv's words.
     */
    UINT32,
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
            case UINT32 -> GoUint32.problem(text);
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

    /**
     * Go's {@code strconv.ParseUint(text, 0, 32)}, step for step, so that each bad value gets the
     * complaint etcd gives: digits are read left to right and the first one that is not a digit of
     * the base is a syntax error, unless the value overflowed first (a range error); underscores
     * are checked only once every digit was read.
     */
    static final class GoUint32 {
        private static final long MAX = 0xFFFF_FFFFL;
        private static final long INVALID = -1;
        private static final long OUT_OF_RANGE = -2;

        private GoUint32() {
        }

        /** The value; only for text that {@link #problem} accepts. */
        static long parse(String text) {
            long value = scan(text);
            if (value < 0) {
                throw new IllegalArgumentException(text + " is not a uint32");
            }
            return value;
        }

        /** Null when {@code text} parses, else strconv's complaint. */
        static String problem(String text) {
            long value = scan(text);
            if (value == INVALID) {
                return "strconv.ParseUint: parsing \"" + text + "\": invalid syntax";
            }
            return value == OUT_OF_RANGE ? "strconv.ParseUint: parsing \"" + text + "\": value out of range" : null;
        }

        private static long scan(String text) {
            if (text.isEmpty()) {
                return INVALID;
            }
            int base = 10;
            int i = 0;
            if (text.charAt(0) == '0') {
                char second = text.length() >= 3 ? Character.toLowerCase(text.charAt(1)) : ' ';
                base = switch (second) {
                    case 'b' -> 2;
                    case 'o' -> 8;
                    case 'x' -> 16;
                    default -> 8;
                };
                i = second == 'b' || second == 'o' || second == 'x' ? 2 : 1;
            }
            long n = 0;
            boolean underscores = false;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '_') {
                    underscores = true;
                    continue;
                }
                int digit = c < 0x80 ? Character.digit(c, base) : -1; // ASCII digits only, as Go
                if (digit < 0) {
                    return INVALID;
                }
                n = n * base + digit;
                if (n > MAX) {
                    return OUT_OF_RANGE;
                }
            }
            return underscores && !underscoresOk(text) ? INVALID : n;
        }

        /** Go's {@code underscoreOK}: every underscore sits between digits or after a base prefix. */
        private static boolean underscoresOk(String text) {
            char saw = '^';
            int i = 0;
            boolean hex = false;
            if (text.length() >= 2 && text.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(text.charAt(1))) >= 0) {
                i = 2;
                saw = '0';
                hex = Character.toLowerCase(text.charAt(1)) == 'x';
            }
            for (; i < text.length(); i++) {
                char c = Character.toLowerCase(text.charAt(i));
                if (c >= '0' && c <= '9' || hex && c >= 'a' && c <= 'f') {
                    saw = '0';
                } else if (c == '_') {
                    if (saw != '0') {
                        return false;
                    }
                    saw = '_';
                } else if (saw == '_') {
                    return false;
                } else {
                    saw = '!';
                }
            }
            return saw != '_';
        }
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
