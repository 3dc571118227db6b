package io.etcdj.raft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verbs of the interaction scripts. Positional arguments are node ids or data; options are
 * {@code key=value}, lists are {@code (1,2,3)}.
 */
final class InteractionCommands {

    private final InteractionEnv env;

    InteractionCommands(InteractionEnv env) {
        this.env = env;
    }

    void run(String commandLine) {
        String[] tokens = commandLine.trim().split("\\s+");
        String verb = tokens[0];
        List<String> args = new ArrayList<>();
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq > 0) {
                opts.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
            } else {
                args.add(tokens[i]);
            }
        }
        dispatch(verb, args, opts);
    }

    private void dispatch(String verb, List<String> args, Map<String, String> opts) {
        switch (verb) {
            case "add-nodes" -> addNodes(args, opts);
            case "campaign" -> env.node(id(args, 0)).raw.campaign();
            case "propose" -> env.node(id(args, 0)).raw.propose(InteractionEnv.bytes(args.get(1)));
            case "propose-conf-change" -> proposeConfChange(args, opts);
            case "process-ready" -> ids(args).forEach(env::processReady);
            case "deliver-msgs" -> {
                boolean drop = Boolean.parseBoolean(opts.getOrDefault("drop", "false"));
                ids(args).forEach(id -> env.deliver(id, drop));
            }
            case "stabilize" -> env.stabilize(ids(args));
            case "tick-heartbeat" -> tick(args, 1);
            case "tick-election" -> tick(args, 10);
            case "tick" -> tick(args, Integer.parseInt(opts.get("count")));
            case "read-index" -> env.node(id(args, 0)).raw.readIndex(InteractionEnv.bytes(args.get(1)));
            case "transfer-leadership" -> env.node(Long.parseLong(opts.get("from")))
                    .raw.transferLeadership(Long.parseLong(opts.get("to")));
            case "status" -> ids(args).forEach(env::status);
            case "raft-state" -> env.nodes.keySet().forEach(env::status);
            case "raft-log" -> env.raftLog(id(args, 0));
            case "log-level" -> setLogLevel(args.get(0));
            case "isolate" -> ids(args).forEach(env.isolated::add);
            case "cut" -> env.cut(id(args, 0), id(args, 1));
            case "heal" -> env.heal();
            case "compact" -> compact(id(args, 0), Long.parseLong(args.get(1)));
            case "applied" -> appliedData(id(args, 0));
            default -> throw new IllegalArgumentException("unknown verb " + verb);
        }
    }

    private static long id(List<String> args, int i) {
        return Long.parseLong(args.get(i));
    }

    private List<Long> ids(List<String> args) {
        List<Long> out = new ArrayList<>();
        for (String a : args) {
            out.add(Long.parseLong(a));
        }
        return out;
    }

    private static List<Long> list(String value) {
        List<Long> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        String inner = value.replace("(", "").replace(")", "");
        for (String s : inner.split(",")) {
            if (!s.isBlank()) {
                out.add(Long.parseLong(s.trim()));
            }
        }
        return out;
    }

    private void addNodes(List<String> args, Map<String, String> opts) {
        int count = Integer.parseInt(args.get(0));
        List<Long> voters = list(opts.remove("voters"));
        List<Long> learners = list(opts.remove("learners"));
        String index = opts.remove("index");
        env.addNodes(count, voters, learners, index == null ? 1 : Long.parseLong(index), opts);
    }

    private void tick(List<String> args, int times) {
        for (long id : ids(args)) {
            for (int i = 0; i < times; i++) {
                env.node(id).raw.tick();
            }
        }
    }

    private void setLogLevel(String name) {
        if (name.equals("none")) {
            env.logsOff = true;
            return;
        }
        env.logsOff = false;
        env.level = LogLevel.valueOf(name.toUpperCase());
    }

    /** {@code propose-conf-change 1 [v1=true] [transition=implicit] v4 l5 r2 u3}. */
    private void proposeConfChange(List<String> args, Map<String, String> opts) {
        long id = id(args, 0);
        List<ConfChangeSingle> changes = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            ConfChangeType type = switch (a.charAt(0)) {
                case 'v' -> ConfChangeType.ADD_NODE;
                case 'l' -> ConfChangeType.ADD_LEARNER_NODE;
                case 'r' -> ConfChangeType.REMOVE_NODE;
                case 'u' -> ConfChangeType.UPDATE_NODE;
                default -> throw new IllegalArgumentException("unknown change " + a);
            };
            changes.add(new ConfChangeSingle(type, Long.parseLong(a.substring(1))));
        }
        ConfChangeI cc;
        if (Boolean.parseBoolean(opts.getOrDefault("v1", "false"))) {
            cc = new ConfChange(changes.get(0).type(), changes.get(0).nodeId(), null);
        } else {
            ConfChangeTransition t = switch (opts.getOrDefault("transition", "auto")) {
                case "implicit" -> ConfChangeTransition.JOINT_IMPLICIT;
                case "explicit" -> ConfChangeTransition.JOINT_EXPLICIT;
                default -> ConfChangeTransition.AUTO;
            };
            cc = new ConfChangeV2(t, changes, null);
        }
        env.node(id).raw.proposeConfChange(cc);
    }

    /** Snapshots the applied state at {@code index} and compacts the log up to it. */
    private void compact(long id, long index) {
        InteractionEnv.Node n = env.node(id);
        ConfState cs = n.raw.status().confState();
        n.storage.createSnapshot(index, cs, InteractionEnv.bytes("snap@" + index));
        n.storage.compact(index);
        env.raftLog(id);
    }

    private void appliedData(long id) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : env.node(id).applied) {
            if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                sb.append(Describe.data(e.data())).append(' ');
            }
        }
        env.line(sb.isEmpty() ? "(none)" : sb.toString().trim());
    }
}
