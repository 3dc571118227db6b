package io.etcdj.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Flag values after command line and environment, with typed accessors. Every flag has a value. */
public final class ParsedFlags {

    private final Map<String, String> values;
    private final Set<String> set;

    ParsedFlags(Map<String, String> values, Set<String> set) {
        this.values = Map.copyOf(values);
        this.set = Set.copyOf(set);
    }

    /** Whether the flag was given on the command line or through its environment variable. */
    public boolean isSet(String name) {
        return set.contains(name);
    }

    public String string(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no such flag: " + name);
        }
        return value;
    }

    public boolean bool(String name) {
        return FlagType.parseBool(string(name));
    }

    public long unsigned(String name) {
        return Long.parseUnsignedLong(string(name));
    }

    /** A {@link FlagType#UINT32} flag's value. */
    public long uint32(String name) {
        return FlagType.GoUint32.parse(string(name));
    }

    public long int64(String name) {
        return Long.parseLong(string(name));
    }

    public Duration duration(String name) {
        return FlagType.GoDuration.parse(string(name));
    }

    public List<String> list(String name) {
        String value = string(name);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        for (String part : value.split(",")) {
            parts.add(part.trim());
        }
        return Collections.unmodifiableList(parts);
    }
}
