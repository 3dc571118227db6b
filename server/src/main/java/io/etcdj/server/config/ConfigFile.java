package io.etcdj.server.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * etcd's {@code --config-file}: YAML whose keys are the flag names ({@code data-dir},
 * {@code listen-client-urls}, ...), with TLS settings nested under
 * {@code client-transport-security} and {@code peer-transport-security}. As in etcd, a config
 * file replaces the command line and the environment entirely. Values are validated with the
 * flags' own rules, so a bad value is refused naming its key; an unknown key is a warning (etcd
 * ignores it silently, which hides typos).
 */
public final class ConfigFile {

    /** Nested TLS blocks: their keys become flags with this prefix. */
    private static final Map<String, String> TLS_BLOCKS = Map.of(
            "client-transport-security", "", "peer-transport-security", "peer-");
    /** TLS keys whose flag name differs from the YAML key. */
    private static final Map<String, String> TLS_KEY_TO_FLAG = Map.of(
            "allowed-cn", "cert-allowed-cn", "allowed-hostname", "cert-allowed-hostname");

    private ConfigFile() {
    }

    /** Parses {@code file} into flags; {@code warnings} receives unknown keys. */
    public static ParsedFlags load(Path file, Map<String, FlagSpec> specs, List<String> warnings) throws ConfigException {
        Map<String, Object> yaml = read(file);
        Map<String, String> values = new HashMap<>();
        Set<String> set = new HashSet<>();
        for (Map.Entry<String, Object> entry : yaml.entrySet()) {
            if (TLS_BLOCKS.containsKey(entry.getKey()) && entry.getValue() instanceof Map<?, ?> block) {
                for (Map.Entry<?, ?> tls : block.entrySet()) {
                    String key = String.valueOf(tls.getKey());
                    String flag = TLS_BLOCKS.get(entry.getKey()) + TLS_KEY_TO_FLAG.getOrDefault(key, key);
                    put(file, entry.getKey() + "." + key, flag, tls.getValue(), specs, values, set, warnings);
                }
            } else {
                put(file, entry.getKey(), entry.getKey(), entry.getValue(), specs, values, set, warnings);
            }
        }
        for (FlagSpec spec : specs.values()) {
            values.putIfAbsent(spec.name(), spec.defaultValue());
        }
        return new ParsedFlags(values, set);
    }

    private static void put(Path file, String key, String flag, Object value, Map<String, FlagSpec> specs,
            Map<String, String> values, Set<String> set, List<String> warnings) throws ConfigException {
        FlagSpec spec = specs.get(flag);
        if (spec == null || flag.equals("config-file")) {
            warnings.add("config file " + file + ": unknown key \"" + key + "\" ignored");
            return;
        }
        if (value == null) {
            return;
        }
        String text = asFlagText(value);
        String problem = spec.type().validate(text);
        if (problem != null) {
            throw new ConfigException("config file " + file + ": invalid value \"" + text + "\" for " + key + ": " + problem);
        }
        values.put(flag, text);
        set.add(flag);
    }

    /** YAML scalars and lists as the text the flag would take: lists joined by commas. */
    private static String asFlagText(Object value) {
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(v -> parts.add(String.valueOf(v)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws ConfigException {
        try {
            Object root = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file), Object.class);
            if (root == null) {
                return Map.of();
            }
            if (!(root instanceof Map<?, ?>)) {
                throw new ConfigException("config file " + file + ": expected a mapping of settings at the top level");
            }
            return new LinkedHashMap<>((Map<String, Object>) root);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot load config file " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("cannot load config file " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
