package io.etcdj.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a command line the way etcd's (Go {@code flag} package) does, then fills unset flags
 * from {@code ETCD_*} environment variables: flags beat the environment.
 *
 * <p>Accepted forms: {@code -name v}, {@code --name v}, {@code --name=v}; booleans also bare
 * ({@code --pre-vote}) but only {@code --pre-vote=false} turns one off. Parsing stops at
 * {@code --} or the first non-flag argument, and etcd refuses any positional argument.
 */
public final class FlagParser {

    /** Thrown for {@code -h}/{@code --help}: the caller prints usage and exits 0. */
    public static final class HelpRequested extends Exception {
        HelpRequested() {
            super("help requested");
        }
    }

    private final Map<String, FlagSpec> specs;
    private final List<String> warnings = new ArrayList<>();

    public FlagParser(Map<String, FlagSpec> specs) {
        this.specs = specs;
    }

    /** Non-fatal findings (unknown ETCD_ variables, shadowed variables, no-effect flags). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public ParsedFlags parse(String[] args, Map<String, String> environment) throws ConfigException, HelpRequested {
        Map<String, String> values = new HashMap<>();
        Set<String> set = new HashSet<>();
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            i = parseOne(args, i, values, set);
        }
        if (i < args.length) {
            throw new ConfigException("'" + args[i] + "' is not a valid flag");
        }
        applyEnvironment(environment, values, set);
        for (FlagSpec spec : specs.values()) {
            values.putIfAbsent(spec.name(), spec.defaultValue());
            if (!spec.effective() && set.contains(spec.name())
                    && !values.get(spec.name()).equals(spec.defaultValue())) {
                warnings.add("flag --" + spec.name() + " is accepted for compatibility but has no effect in this etcdj version");
            }
        }
        return new ParsedFlags(values, set);
    }

    private int parseOne(String[] args, int i, Map<String, String> values, Set<String> set)
            throws ConfigException, HelpRequested {
        String body = args[i].startsWith("--") ? args[i].substring(2) : args[i].substring(1);
        if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
            throw new ConfigException("bad flag syntax: " + args[i], true);
        }
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String value = eq < 0 ? null : body.substring(eq + 1);
        FlagSpec spec = specs.get(name);
        if (spec == null) {
            if (name.equals("h") || name.equals("help")) {
                throw new HelpRequested();
            }
            throw new ConfigException("flag provided but not defined: -" + name, true);
        }
        int next = i + 1;
        if (value == null) {
            if (spec.type() == FlagType.BOOL) {
                value = "true";
            } else if (next < args.length) {
                value = args[next++];
            } else {
                throw new ConfigException("flag needs an argument: -" + name, true);
            }
        }
        String problem = spec.type().validate(value);
        if (problem != null) {
            throw new ConfigException("invalid value \"" + value + "\" for flag -" + name + ": " + problem, true);
        }
        values.put(name, value);
        set.add(name);
        return next;
    }

    private void applyEnvironment(Map<String, String> environment, Map<String, String> values, Set<String> set)
            throws ConfigException {
        Map<String, FlagSpec> byVariable = new HashMap<>();
        for (FlagSpec spec : specs.values()) {
            byVariable.put(spec.environmentVariable(), spec);
        }
        for (String variable : environment.keySet().stream().sorted().toList()) {
            if (!variable.startsWith("ETCD_") || NOT_FLAGS.contains(variable)) {
                continue;
            }
            String value = environment.get(variable);
            FlagSpec spec = byVariable.get(variable);
            if (spec == null) {
                warnings.add("unrecognized environment variable " + variable + "=" + value);
            } else if (set.contains(spec.name())) {
                warnings.add("recognized environment variable " + variable + ", but unused: shadowed by corresponding flag");
            } else {
                String problem = spec.type().validate(value);
                if (problem != null) {
                    throw new ConfigException("invalid value \"" + value + "\" for " + variable + ": " + problem);
                }
                values.put(spec.name(), value);
                set.add(spec.name());
            }
        }
    }

    /** ETCD_ variables etcd reads that are not flags. */
    private static final Set<String> NOT_FLAGS = Set.of("ETCD_UNSUPPORTED_ARCH", "ETCD_VERIFY");
}
