package io.etcdj.server.etcdserver;

import io.etcdj.pkg.idutil.IdGenerator;
import io.etcdj.pkg.wait.IndexWaiter;
import io.etcdj.pkg.wait.WaitRegistry;
import io.etcdj.raft.Config;
import io.etcdj.raft.RawNode;
import io.etcdj.server.apply.KvApplier;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.server.lease.ExpiryChecker;
import io.etcdj.server.lease.LeaseApplier;
import io.etcdj.server.lease.Lessor;
import io.etcdj.server.config.ServerConfig;
import io.etcdj.server.metrics.EtcdMetrics;
import io.etcdj.server.mvcc.MvccStore;
import io.etcdj.server.storage.backend.Backend;
import io.etcdj.server.storage.backend.BackendConfig;
import io.etcdj.server.storage.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd member's server core, started and stopped as a unit: backend and MVCC store, WAL and
 * snapshots, the raft node, the raft-loop and apply threads, and the {@link EtcdServer} facade.
 *
 * <p>Data dir layout (etcd's): {@code <data-dir>/member/wal/*.wal},
 * {@code <data-dir>/member/snap/*.snap}, the backend in {@code <data-dir>/member/snap/db}.
 */
public final class Member implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Member.class);
    /** Entries kept behind a snapshot for a slow follower to catch up from (etcd's default). */
    static final long SNAPSHOT_CATCH_UP_ENTRIES = 5_000;
    /** Simultaneous requests waiting for their entry to apply. */
    static final int MAX_WAITING_REQUESTS = 100_000;
    /** How long a graceful shutdown waits for the final lease checkpoints to apply. */
    static final long SHUTDOWN_CHECKPOINT_TIMEOUT_MS = 2_000;

    private final Backend backend;
    private final MvccStore mvcc;
    private final MemberStorage storage;
    private final RaftLoop raft;
    private final ApplyLoop apply;
    private final EtcdServer server;
    private final Lessor lessor;
    private ExpiryChecker expiry;

    private Member(Backend backend, MvccStore mvcc, MemberStorage storage, RaftLoop raft, ApplyLoop apply,
            EtcdServer server, Lessor lessor) {
        this.lessor = lessor;
        this.backend = backend;
        this.mvcc = mvcc;
        this.storage = storage;
        this.raft = raft;
        this.apply = apply;
        this.server = server;
    }

    /**
     * Opens (or bootstraps) the member in {@code config.dataDir()} and starts its threads. Returns
     * once the member has a leader or the election timeout has passed a few times.
     */
    public static Member start(ServerConfig config, EtcdMetrics metrics, Consumer<Throwable> fatal) throws IOException {
        Path memberDir = config.dataDir().resolve("member");
        Path snapDir = memberDir.resolve("snap");
        Path walDir = config.walDir() != null ? config.walDir() : memberDir.resolve("wal");
        if (!config.initialClusterNew() && !io.etcdj.server.storage.wal.Wal.exists(walDir, WalOptions.defaults())) {
            throw new IllegalStateException("--initial-cluster-state existing: joining an existing cluster is not"
                    + " supported by this etcdj version (single member only); start with an existing data dir or 'new'");
        }
        Files.createDirectories(snapDir);
        MemberIdentity flagsIdentity = MemberIdentity.derive(config.name(), config.initialCluster(),
                config.initialClusterToken());
        WalOptions walOptions = WalOptions.defaults().withMaxWals(config.maxWals())
                .withMetrics(MemberStorage.walMetrics(metrics));
        Backend backend = Backend.open(BackendConfig.defaults(snapDir.resolve("db")).withQuota(config.quotaBackendBytes()));
        backend.setCommitListener(nanos -> metrics.backendCommitSeconds.observe(nanos / 1e9));
        MvccStore mvcc = MvccStore.open(backend);
        MemberStorage storage = MemberStorage.open(walDir, snapDir, flagsIdentity,
                initialVoters(config.initialCluster(), config.initialClusterToken()), walOptions);
        metrics.quotaBackendBytes.set(config.quotaBackendBytes());

        long snapshotIndex = storage.snapshot.metadata().index();
        RawNode node = new RawNode(Config.builder(storage.identity.memberId(), storage.raftLog)
                .electionTick(config.electionTicks())
                .heartbeatTick(1)
                .applied(snapshotIndex)
                .checkQuorum(true)
                .preVote(true)
                .random(new SplittableRandom(new SecureRandom().nextLong()))
                .build());
        WaitRegistry<Object> waits = new WaitRegistry<>(MAX_WAITING_REQUESTS);
        IndexWaiter applied = new IndexWaiter();
        ApplyLoop[] applyRef = new ApplyLoop[1];
        RaftLoop raft = new RaftLoop(node, storage.raftLog, storage.wal, storage.snapshotter, config.maxSnapshots(),
                config.heartbeatIntervalMs(), System::nanoTime, entries -> applyRef[0].enqueue(entries), fatal,
                metrics.leaderChanges::inc);
        Lessor lessor = Lessor.recover(backend, mvcc, System::nanoTime, Lessor.minTtlSeconds(config.electionTimeoutMs()),
                config.leaseCheckpointing().enabled() ? config.leaseCheckpointing().interval().toNanos() : 0);
        mvcc.addChangeListener(lessor);
        KvApplier applier = new KvApplier(lessor, mvcc::compactRevision);
        AlarmStore alarms = new AlarmStore(backend);
        ApplyLoop apply = new ApplyLoop(mvcc, backend, applier, alarms, new LeaseApplier(lessor, mvcc, backend), waits, applied, raft, snapshotIndex,
                storage.snapshot.metadata().confState(), config.snapshotCount(), SNAPSHOT_CATCH_UP_ENTRIES, fatal);
        applyRef[0] = apply;
        EtcdServer server = new EtcdServer(storage.identity, raft, apply, mvcc, applier, waits, applied,
                new IdGenerator(storage.identity.memberId(), System.currentTimeMillis()), config.maxRequestBytes(),
                5_000 + 2 * config.electionTimeoutMs(), metrics.proposalsFailed::inc, alarms,
                new Quota(config.quotaBackendBytes(), backend::sizeBytes));
        metrics.bindMember(storage.identity.memberId(), raft::leader, raft::committedIndex, apply::appliedIndex,
                waits::size, backend::sizeBytes, backend::sizeInUseBytes);
        Member member = new Member(backend, mvcc, storage, raft, apply, server, lessor);
        apply.start();
        raft.start();
        member.awaitLeader(config, storage.snapshot.metadata().confState().voters().size() == 1);
        lessor.setCheckpointer(server::leaseCheckpoint);
        member.expiry = ExpiryChecker.start(lessor, () -> raft.leader() == storage.identity.memberId(),
                id -> server.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()), server::leaseCheckpoint);
        return member;
    }

    /** The member ids of the initial cluster, as every member derives them. */
    private static List<Long> initialVoters(Map<String, List<String>> cluster, String token) {
        List<Long> voters = new ArrayList<>();
        cluster.values().forEach(urls -> voters.add(MemberIdentity.memberId(urls, token)));
        return voters;
    }

    /**
     * A lone voter campaigns at once instead of waiting out an election timeout (etcd's
     * --initial-election-tick-advance has the same purpose); then waits, bounded, for a leader.
     */
    private void awaitLeader(ServerConfig config, boolean loneVoter) {
        if (loneVoter) {
            raft.campaign();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5 * config.electionTimeoutMs());
        while (raft.leader() == 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (raft.leader() == 0) {
            log.warn("no leader elected yet; serving anyway (requests wait for one)");
        }
    }

    public EtcdServer server() {
        return server;
    }

    public Backend backend() {
        return backend;
    }

    public MvccStore mvcc() {
        return mvcc;
    }

    public Lessor lessor() {
        return lessor;
    }

    /**
     * Stops the lease loop and, if this member leads, checkpoints every lease's remaining TTL
     * through raft (bounded wait) so a clean restart loses none of it; then stops raft (no new
     * commits), then apply, then closes storage in reverse opening order.
     */
    @Override
    public void close() {
        if (expiry != null) {
            expiry.close();
            expiry.checkpointAll(SHUTDOWN_CHECKPOINT_TIMEOUT_MS);
        }
        raft.stop();
        apply.stop();
        server.close();
        try {
            storage.close();
        } catch (IOException e) {
            log.atWarn().setCause(e).log("closing the WAL: {}", e.getMessage());
        }
        mvcc.close();
        backend.close();
    }
}
