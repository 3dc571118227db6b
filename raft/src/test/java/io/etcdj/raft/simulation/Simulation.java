package io.etcdj.raft.simulation;

import io.etcdj.raft.ConfChangeI;
import io.etcdj.raft.ConfState;
import io.etcdj.raft.Entry;
import io.etcdj.raft.EntryType;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Message;
import io.etcdj.raft.ProposalDroppedException;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.StateType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One seeded run: a chaos phase of {@code chaosTicks} ticks under the seed's {@link FaultProfile},
 * then a liveness phase with every fault healed, in which a leader must emerge and a new proposal
 * must be applied by every live voter within {@code livenessTicks}. All randomness comes from the
 * seed; nodes, messages and faults are visited in a seeded order, so a seed replays exactly.
 */
final class Simulation implements SimNode.Env {

    /** What to run; {@code profile} null draws one from the seed. */
    record Options(int voters, int chaosTicks, int livenessTicks, PlantedBug bug, FaultProfile profile,
                   boolean preVote, boolean durabilityChecks) {
        static Options of(int voters) {
            return new Options(voters, 400, 300, PlantedBug.NONE, null, true, true);
        }

        Options withBug(PlantedBug planted) {
            return new Options(voters, chaosTicks, livenessTicks, planted, profile, preVote, durabilityChecks);
        }

        Options withProfile(FaultProfile faults) {
            return new Options(voters, chaosTicks, livenessTicks, bug, faults, preVote, durabilityChecks);
        }

        Options withPreVote(boolean enabled) {
            return new Options(voters, chaosTicks, livenessTicks, bug, profile, enabled, durabilityChecks);
        }

        /** Without the send-time durability checks only raft's own properties can catch a bug. */
        Options withDurabilityChecks(boolean enabled) {
            return new Options(voters, chaosTicks, livenessTicks, bug, profile, preVote, enabled);
        }
    }

    /** How a run ended; {@code violation} null when every check held. */
    record Outcome(long seed, long ticks, long readies, long messages, long proposals, long committed,
                   long checks, FaultProfile profile, Coverage coverage, Throwable violation) {
        boolean ok() {
            return violation == null;
        }
    }

    static final int ELECTION_TICK = 10;
    /** {@code -Draft.sim.trace=true} prints every Ready, crash and restart of a replayed seed. */
    private static final boolean TRACE = Boolean.getBoolean("raft.sim.trace");
    private static final long PROPOSAL_TAG = 0x70726F706F73616CL;
    private static final long MARKER_TAG = 0x6D61726B65722121L;
    private static final int MAX_SETTLE_ROUNDS = 200;

    private final long seed;
    private final Options options;
    private final SplittableRandom random;
    private final SafetyChecker checker = new SafetyChecker();
    private final SimNetwork<Message> network;
    private final Map<Long, SimNode> nodes = new TreeMap<>();
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private final Map<Long, Set<Long>> markerAppliedBy = new HashMap<>();
    private final Nemesis nemesis;
    private final Coverage coverage = new Coverage();
    private final FaultProfile drawnProfile;
    private FaultProfile profile;
    private ConfState clusterConf;
    private long clusterConfIndex = 1;
    private long now;
    private long nextNodeId;
    private long proposals;
    private long messages;
    private UnaryOperator<Message> sendFilter;

    Simulation(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork<>(random.split());
        this.nemesis = new Nemesis(this, random.split());
        FaultProfile drawn = FaultProfile.draw(random.split());
        this.profile = options.profile() != null ? options.profile() : drawn;
        this.drawnProfile = profile;
        network.setFaults(profile.network());
        network.setLossListener(lost -> {
            if (lost.message() instanceof Message.MsgSnap) {
                reportSnapshot(lost.from(), lost.to(), false);
            }
        });
        List<Long> voters = new ArrayList<>();
        for (long id = 1; id <= options.voters(); id++) {
            voters.add(id);
        }
        clusterConf = new ConfState(voters, List.of(), List.of(), List.of(), false);
        nextNodeId = options.voters() + 1;
        for (long id : voters) {
            SimNode node = new SimNode(id, SimNode.bootstrapStorage(voters), profile.compactAfterEntries());
            nodes.put(id, node);
            node.start(this);
        }
    }

    /** The run a bare seed names: odd seeds simulate five voters, even seeds three. */
    static Simulation forSeed(long seed) {
        return new Simulation(seed, Options.of((seed & 1) == 1 ? 5 : 3));
    }

    /** Scenario tests: {@code ticks} ticks with no nemesis and no proposal load. */
    void advance(int ticks) {
        for (int i = 0; i < ticks; i++) {
            now++;
            tickAll();
            settle();
        }
    }

    /** Scenario tests: proposes one entry through the leader (or any node) and settles. */
    void proposeOne() {
        SimNode target = leader() != null ? leader() : randomUpNode();
        propose(target, PROPOSAL_TAG);
        settle();
    }

    /**
     * Scenario tests: every message sent goes through {@code filter}, which returns it, a changed
     * copy, or null to lose it; null stops filtering. The fault model of a scripted schedule.
     */
    void filterSends(UnaryOperator<Message> filter) {
        sendFilter = filter;
    }

    SafetyChecker safety() {
        return checker;
    }

    Outcome run() {
        try {
            for (now = 1; now <= options.chaosTicks(); now++) {
                nemesis.act(profile);
                tickAll();
                proposeLoad();
                settle();
            }
            awaitLiveness();
            return outcome(null);
        } catch (InvariantViolation v) {
            return outcome(v);
        } catch (RuntimeException e) {
            return outcome(new InvariantViolation("Exception", "raft threw " + e, e));
        }
    }

    private void awaitLiveness() {
        profile = profile.healed();
        network.setFaults(SimNetwork.Faults.NONE);
        network.partitions().heal();
        for (SimNode node : nodes.values()) {
            if (!node.isUp() && !node.isRemoved()) {
                node.start(this);
            }
        }
        long start = now;
        long lastMarkerAt = -1000;
        for (; now <= start + options.livenessTicks(); now++) {
            tickAll();
            settle();
            if (markerAppliedBy.values().stream().anyMatch(by -> by.containsAll(liveVoters()))) {
                coverage.runs = 1;
                coverage.recoveryTicksSum = now - start;
                coverage.recoveryTicksMax = now - start;
                return;
            }
            SimNode leader = leader();
            if (leader != null && now - lastMarkerAt >= 3L * ELECTION_TICK) {
                lastMarkerAt = now;
                propose(leader, MARKER_TAG);
            }
        }
        throw new InvariantViolation("Liveness", "no new proposal applied by all live voters " + liveVoters()
                + " within " + options.livenessTicks() + " ticks after healing; leader "
                + (leader() == null ? "none" : leader().id()));
    }

    private void tickAll() {
        for (SimNode node : nodes.values()) {
            if (node.isUp()) {
                node.raft().tick();
            }
        }
    }

    private void proposeLoad() {
        double rate = profile.proposalsPerTick();
        int count = (int) rate + (random.nextDouble() < rate - (int) rate ? 1 : 0);
        for (int i = 0; i < count; i++) {
            SimNode target = leader();
            if (target == null || random.nextInt(4) == 0) {
                target = randomUpNode();
            }
            if (target != null) {
                propose(target, PROPOSAL_TAG);
            }
        }
    }

    private void propose(SimNode node, long tag) {
        byte[] data = ByteBuffer.allocate(16).putLong(tag).putLong(++proposals).array();
        try {
            node.raft().propose(data);
        } catch (ProposalDroppedException expected) {
            // No leader known, or a leader transfer in progress: a client would retry.
        }
    }

    /** Runs Readies and deliveries until nothing is due at this tick. */
    void settle() {
        for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
            boolean progress = false;
            for (SimNode node : shuffled(new ArrayList<>(nodes.values()))) {
                for (int i = 0; i < 100 && node.isUp() && node.raft().hasReady(); i++) {
                    node.processReady(this);
                    reapRemoved();
                    progress = true;
                }
            }
            while (!deferred.isEmpty()) {
                deferred.poll().run();
                progress = true;
            }
            for (var m = network.pollDue(now); m != null; m = network.pollDue(now)) {
                deliver(m);
                progress = true;
            }
            if (!progress) {
                return;
            }
        }
    }

    private void deliver(SimNetwork.InFlight<Message> inFlight) {
        SimNode to = nodes.get(inFlight.to());
        Message m = inFlight.message();
        if (to == null || !to.isUp()) {
            if (m instanceof Message.MsgSnap) {
                reportSnapshot(inFlight.from(), inFlight.to(), false);
            }
            return;
        }
        if (!step(to, m)) {
            return;
        }
        if (m instanceof Message.MsgSnap) {
            coverage.snapshotsDelivered++;
            reportSnapshot(inFlight.from(), inFlight.to(), true);
        }
        if (options.bug() == PlantedBug.DOUBLE_COUNT_VOTE && m instanceof Message.MsgVoteResp resp
                && !RecordCopy.flag(resp, "reject")) {
            List<Long> others = new ArrayList<>(clusterConf.voters());
            others.removeIf(id -> id == resp.from() || id == resp.to());
            if (!others.isEmpty() && to.isUp()) {
                long forged = others.get(random.nextInt(others.size()));
                step(to, RecordCopy.with(resp, "from", forged));
            }
        }
    }

    /**
     * Steps a delivered message; false if raft refused a response from a node outside its
     * configuration (a removed member's late answer), which etcd's server ignores too.
     */
    private static boolean step(SimNode to, Message m) {
        try {
            to.raft().step(m);
            return true;
        } catch (ProposalDroppedException e) {
            // A forwarded proposal reached a node that knows no leader: dropped, as in etcd.
            return false;
        } catch (IllegalArgumentException e) {
            if (m.isResponse() && String.valueOf(e.getMessage()).contains("peer not found")) {
                return false;
            }
            throw e;
        }
    }

    private void reportSnapshot(long leader, long follower, boolean ok) {
        deferred.add(() -> {
            SimNode node = nodes.get(leader);
            if (node != null && node.isUp()) {
                node.raft().reportSnapshot(follower, ok);
            }
        });
    }

    @Override
    public void send(long from, Message sent) {
        Message m = sendFilter == null ? sent : sendFilter.apply(sent);
        if (m == null) {
            return;
        }
        messages++;
        if (m instanceof Message.MsgApp || m instanceof Message.MsgHeartbeat || m instanceof Message.MsgSnap) {
            checker.onLeaderTraffic(from, m.term());
        }
        if (m.to() == from) {
            deferred.add(() -> {
                SimNode self = nodes.get(from);
                if (self != null && self.isUp()) {
                    self.raft().step(m);
                }
            });
            return;
        }
        network.send(from, m.to(), m, now);
    }

    @Override
    public void applied(long node, Entry entry, ConfState confStateAfter) {
        ByteBuffer data = ByteBuffer.wrap(entry.data());
        if (entry.type() == EntryType.NORMAL && entry.data().length == 16 && data.getLong() == MARKER_TAG) {
            markerAppliedBy.computeIfAbsent(data.getLong(), k -> new HashSet<>()).add(node);
        }
        if (entry.type() != EntryType.NORMAL && entry.index() > clusterConfIndex) {
            coverage.membershipChanges++;
            trace(node + " applies conf change " + ConfChangeI.fromEntry(entry) + " at " + entry.index()
                    + " -> " + confStateAfter);
            if (!confStateAfter.votersOutgoing().isEmpty()) {
                coverage.jointConfigurations++;
            }
            clusterConf = confStateAfter;
            clusterConfIndex = entry.index();
            for (long id : members(confStateAfter)) {
                if (!nodes.containsKey(id)) {
                    SimNode joining = new SimNode(id, new MemoryStorage(), profile.compactAfterEntries());
                    nodes.put(id, joining);
                    joining.start(this);
                }
            }
        }
    }

    /** A member whose removal is committed stops, as an etcd member does once it learns it. */
    private void reapRemoved() {
        Set<Long> members = members(clusterConf);
        for (SimNode node : nodes.values()) {
            if (!node.isRemoved() && !members.contains(node.id())) {
                node.markRemoved();
            }
        }
    }

    static Set<Long> members(ConfState cs) {
        Set<Long> all = new HashSet<>(cs.voters());
        all.addAll(cs.learners());
        all.addAll(cs.votersOutgoing());
        all.addAll(cs.learnersNext());
        return all;
    }

    private Set<Long> liveVoters() {
        Set<Long> voters = new HashSet<>(clusterConf.voters());
        voters.addAll(clusterConf.votersOutgoing());
        return voters;
    }

    @Override
    public Crash drawCrash() {
        if (profile.readyCrashRate() == 0 || random.nextDouble() >= profile.readyCrashRate()) {
            return null;
        }
        Crash[] points = Crash.values();
        return points[random.nextInt(points.length)];
    }

    @Override
    public RawNode newRawNode(long id, MemoryStorage storage, long applied) {
        RawNode node = new RawNode(SimConfigs.config(id, storage, applied, random.split(), options.preVote(),
                profile.maxMsgBytes()));
        if (options.bug() == PlantedBug.COMMIT_PREVIOUS_TERM_BY_COUNT) {
            CoreSwitch.set(node, "plantedBugCommitAnyTerm", true);
        }
        return node;
    }

    @Override
    public void trace(String event) {
        if (TRACE) {
            System.out.println("t" + now + " " + event);
        }
    }

    @Override
    public Coverage coverage() {
        return coverage;
    }

    @Override
    public boolean checkDurability() {
        return options.durabilityChecks();
    }

    @Override
    public SafetyChecker checker() {
        return checker;
    }

    @Override
    public PlantedBug bug() {
        return options.bug();
    }

    /** The up node that believes it leads the highest term, or null. */
    SimNode leader() {
        SimNode best = null;
        for (SimNode node : nodes.values()) {
            if (node.isUp() && node.role() == StateType.LEADER && (best == null || node.term() > best.term())) {
                best = node;
            }
        }
        return best;
    }

    SimNode randomUpNode() {
        List<SimNode> up = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (node.isUp()) {
                up.add(node);
            }
        }
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    <T> List<T> shuffled(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
        return list;
    }

    Map<Long, SimNode> nodes() {
        return nodes;
    }

    SimNetwork<Message> network() {
        return network;
    }

    ConfState clusterConf() {
        return clusterConf;
    }

    long allocateNodeId() {
        return nextNodeId++;
    }

    private Outcome outcome(Throwable violation) {
        long readies = nodes.values().stream().mapToLong(SimNode::readies).sum();
        coverage.leaderTerms = checker.leaderTerms();
        return new Outcome(seed, now, readies, messages, proposals, checker.maxCommitted(), checker.checks(),
                drawnProfile, coverage, violation);
    }
}
