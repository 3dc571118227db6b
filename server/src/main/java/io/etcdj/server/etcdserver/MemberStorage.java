package io.etcdj.server.etcdserver;

import io.etcdj.raft.ConfState;
import io.etcdj.raft.HardState;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Snapshot;
import io.etcdj.raft.SnapshotMetadata;
import io.etcdj.server.storage.snap.Snapshotter;
import io.etcdj.server.storage.wal.ReadResult;
import io.etcdj.server.storage.wal.Wal;
import io.etcdj.server.storage.wal.WalMetrics;
import io.etcdj.server.storage.wal.WalOptions;
import io.etcdj.server.storage.wal.WalSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's raft persistence, opened at start-up: the WAL, the snapshot files, and the in-memory
 * raft log rebuilt from them.
 *
 * <p>A new member bootstraps as etcd does: a snapshot at index 1, term 1 whose configuration
 * holds the initial voters (written as a snapshot file and a WAL marker), so raft starts with its
 * membership and an empty log. A restarting member loads the newest snapshot the WAL also knows,
 * replays the WAL after it, and takes its ids from the WAL's metadata, not from the flags (as etcd
 * ignores {@code --initial-cluster} once a data dir exists).
 */
final class MemberStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemberStorage.class);
    /** Raft index and term of the bootstrap snapshot. */
    static final long BOOTSTRAP_INDEX = 1;
    static final long BOOTSTRAP_TERM = 1;

    final Wal wal;
    final Snapshotter snapshotter;
    final MemoryStorage raftLog;
    final MemberIdentity identity;
    /** The snapshot raft starts from (the bootstrap one for a new member). */
    final Snapshot snapshot;
    final boolean bootstrapped;

    private MemberStorage(Wal wal, Snapshotter snapshotter, MemoryStorage raftLog, MemberIdentity identity,
            Snapshot snapshot, boolean bootstrapped) {
        this.wal = wal;
        this.snapshotter = snapshotter;
        this.raftLog = raftLog;
        this.identity = identity;
        this.snapshot = snapshot;
        this.bootstrapped = bootstrapped;
    }

    static MemberStorage open(Path walDir, Path snapDir, MemberIdentity flagsIdentity, List<Long> initialVoters,
            WalOptions options) throws IOException {
        Files.createDirectories(snapDir);
        Snapshotter snapshotter = new Snapshotter(snapDir);
        if (!Wal.exists(walDir, options)) {
            return bootstrap(walDir, snapshotter, flagsIdentity, initialVoters, options);
        }
        List<WalSnapshot> known = Wal.validSnapshotEntries(walDir, options);
        Snapshot snapshot = snapshotter.loadNewestAvailable(known).orElse(Snapshot.EMPTY);
        WalSnapshot start = new WalSnapshot(snapshot.metadata().index(), snapshot.metadata().term(),
                snapshot.metadata().confState());
        Wal wal = Wal.open(walDir, start, options);
        ReadResult replay = wal.readAll();
        MemoryStorage raftLog = new MemoryStorage();
        if (!snapshot.isEmpty()) {
            raftLog.applySnapshot(snapshot);
        }
        raftLog.setHardState(replay.hardState());
        raftLog.append(replay.entries());
        MemberIdentity identity = decodeMetadata(replay.metadata(), walDir);
        log.atInfo().addKeyValue("member-id", identity.memberIdHex()).addKeyValue("cluster-id", identity.clusterIdHex())
                .addKeyValue("snapshot-index", snapshot.metadata().index())
                .addKeyValue("wal-entries", replay.entries().size())
                .addKeyValue("commit-index", replay.hardState().commit())
                .log("restarting member from its data dir");
        return new MemberStorage(wal, snapshotter, raftLog, identity, snapshot, false);
    }

    private static MemberStorage bootstrap(Path walDir, Snapshotter snapshotter, MemberIdentity identity,
            List<Long> voters, WalOptions options) throws IOException {
        ConfState confState = new ConfState(voters, List.of(), List.of(), List.of(), false);
        Snapshot snapshot = new Snapshot(new byte[0], new SnapshotMetadata(confState, BOOTSTRAP_INDEX, BOOTSTRAP_TERM));
        // Snapshot file before the WAL marker that refers to it (a crash between the two leaves an
        // unreferenced file, never a marker without its file).
        snapshotter.save(snapshot);
        Wal wal = Wal.create(walDir, encodeMetadata(identity), options);
        wal.saveSnapshot(new WalSnapshot(BOOTSTRAP_INDEX, BOOTSTRAP_TERM, confState));
        HardState hardState = new HardState(BOOTSTRAP_TERM, 0, BOOTSTRAP_INDEX);
        wal.save(hardState, List.of());
        MemoryStorage raftLog = new MemoryStorage();
        raftLog.applySnapshot(snapshot);
        raftLog.setHardState(hardState);
        log.atInfo().addKeyValue("member-id", identity.memberIdHex()).addKeyValue("cluster-id", identity.clusterIdHex())
                .addKeyValue("voters", voters.stream().map(Long::toHexString).toList().toString())
                .log("bootstrapped a new member");
        return new MemberStorage(wal, snapshotter, raftLog, identity, snapshot, true);
    }

    static byte[] encodeMetadata(MemberIdentity identity) {
        return ByteBuffer.allocate(16).putLong(identity.memberId()).putLong(identity.clusterId()).array();
    }

    static MemberIdentity decodeMetadata(byte[] metadata, Path walDir) {
        if (metadata == null || metadata.length != 16) {
            throw new IllegalStateException("WAL in " + walDir + " has metadata of "
                    + (metadata == null ? 0 : metadata.length) + " bytes; expected 16 (member id, cluster id)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(metadata);
        return new MemberIdentity(buffer.getLong(), buffer.getLong());
    }

    /** Metrics hook for the WAL: fsync latency and bytes, under etcd's metric names. */
    static WalMetrics walMetrics(io.etcdj.server.metrics.EtcdMetrics metrics) {
        return new WalMetrics() {
            @Override
            public void fsyncCompleted(long durationNanos) {
                metrics.walFsyncSeconds.observe(durationNanos / 1e9);
            }

            @Override
            public void bytesWritten(long bytes) {
                metrics.walWriteBytes.inc(bytes);
            }
        };
    }

    @Override
    public void close() throws IOException {
        wal.close();
    }
}
