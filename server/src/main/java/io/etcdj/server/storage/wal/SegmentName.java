package io.etcdj.server.storage.wal;

import java.util.HexFormat;

/**
 * A segment's file name, etcd's {@code %016x-%016x.wal}: the segment's sequence number and the
 * raft index of the first entry it may hold (the last index before it, plus one).
 */
record SegmentName(long sequence, long firstIndex) {

    static final String SUFFIX = ".wal";
    private static final int HEX_DIGITS = 16;

    String fileName() {
        return hex(sequence) + "-" + hex(firstIndex) + SUFFIX;
    }

    /** Parses a name, or null if it is not one the WAL writes. */
    static SegmentName parse(String fileName) {
        if (fileName.length() != 2 * HEX_DIGITS + 1 + SUFFIX.length() || !fileName.endsWith(SUFFIX)
                || fileName.charAt(HEX_DIGITS) != '-') {
            return null;
        }
        try {
            return new SegmentName(Long.parseUnsignedLong(fileName.substring(0, HEX_DIGITS), 16),
                    Long.parseUnsignedLong(fileName.substring(HEX_DIGITS + 1, 2 * HEX_DIGITS + 1), 16));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String hex(long value) {
        return HexFormat.of().withLowerCase().toHexDigits(value);
    }
}
