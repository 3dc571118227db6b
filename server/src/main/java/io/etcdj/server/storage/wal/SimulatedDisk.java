package io.etcdj.server.storage.wal;

import io.etcdj.pkg.fileutil.DirLockedException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory disk that remembers what is durable and what is not, for crash tests and the
 * deterministic simulator. Every file is an inode with a durable image and a list of operations
 * issued since its last {@code force}; the namespace likewise has durable entries and pending
 * creations, renames and deletions since the last {@code syncDir}. A {@link #crash} keeps, per
 * inode and for the namespace, a random <em>prefix</em> of the pending operations and may tear the
 * next write at a random byte (disks persist a write's prefix); everything later is lost. Open
 * handles die with the crash, as the process would. {@link #flipBit} damages durable data.
 * Thread-safe (the WAL's preallocation thread shares it), deterministic given the crash seed.
 */
public final class SimulatedDisk implements Disk {

    private sealed interface FileOp permits Write, Resize {
    }

    private record Write(long offset, byte[] bytes) implements FileOp {
    }

    private record Resize(long sizeBytes) implements FileOp {
    }

    /** A namespace change: {@code inode == null} removes {@code name}. */
    private record NameOp(String name, Inode inode) {
    }

    private static final class Inode {
        byte[] durable = new byte[0];
        byte[] current = new byte[0];
        final List<FileOp> pending = new ArrayList<>();
    }

    private final Map<String, Inode> durableNames = new TreeMap<>();
    private final Map<String, Inode> currentNames = new TreeMap<>();
    private final List<NameOp> pendingNames = new ArrayList<>();
    private final Set<String> locked = new HashSet<>();
    private int epoch;
    private long forceCount;

    @Override
    public synchronized List<String> list(Path dir, String suffix) {
        String prefix = key(dir) + "/";
        List<String> names = new ArrayList<>();
        for (String name : currentNames.keySet()) {
            if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0 && name.endsWith(suffix)) {
                names.add(name.substring(prefix.length()));
            }
        }
        return names;
    }

    @Override
    public synchronized DiskFile open(Path file, boolean create) throws IOException {
        Inode inode = currentNames.get(key(file));
        if (inode == null) {
            if (!create) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            inode = new Inode();
            setName(key(file), inode);
        }
        return new Handle(inode, epoch, file);
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        Inode inode = currentNames.get(key(from));
        if (inode == null) {
            throw new java.nio.file.NoSuchFileException(from.toString());
        }
        setName(key(from), null);
        setName(key(to), inode);
    }

    @Override
    public synchronized void delete(Path file) {
        if (currentNames.containsKey(key(file))) {
            setName(key(file), null);
        }
    }

    @Override
    public synchronized void syncDir(Path dir) {
        String prefix = key(dir) + "/";
        List<NameOp> kept = new ArrayList<>();
        for (NameOp op : pendingNames) {
            if (op.name().startsWith(prefix)) {
                applyName(durableNames, op);
            } else {
                kept.add(op);
            }
        }
        pendingNames.clear();
        pendingNames.addAll(kept);
    }

    @Override
    public void createDirAll(Path dir) {
        // Directories are implicit in the names; they are always durable here.
    }

    @Override
    public synchronized Closeable lock(Path dir) throws IOException {
        String key = key(dir);
        if (!locked.add(key)) {
            throw new DirLockedException(dir);
        }
        int lockEpoch = epoch;
        return () -> {
            synchronized (SimulatedDisk.this) {
                if (epoch == lockEpoch) {
                    locked.remove(key);
                }
            }
        };
    }

    /**
     * Simulates power loss: per inode (in name order, so a seed replays) keep a random prefix of the
     * unsynced operations, tearing the first one dropped if it is a write; the same for pending
     * namespace changes. All open handles and locks die.
     */
    public synchronized void crash(Random random) {
        for (Inode inode : distinctInodes()) {
            int kept = random.nextInt(inode.pending.size() + 1);
            byte[] image = inode.durable;
            for (int i = 0; i < kept; i++) {
                image = apply(image, inode.pending.get(i));
            }
            if (kept < inode.pending.size() && inode.pending.get(kept) instanceof Write w && random.nextBoolean()) {
                int prefix = random.nextInt(w.bytes().length + 1);
                image = apply(image, new Write(w.offset(), Arrays.copyOf(w.bytes(), prefix)));
            }
            inode.durable = image;
        }
        int keptNames = random.nextInt(pendingNames.size() + 1);
        for (int i = 0; i < keptNames; i++) {
            applyName(durableNames, pendingNames.get(i));
        }
        restart();
    }

    /** Sector size for {@link #crashReorderingSectors}. */
    public static final int SECTOR_BYTES = 512;

    /**
     * A harsher power loss: unsynced data reaches the disk in no particular order — each
     * 512-byte sector that differs from the durable image keeps its new content or its old one
     * independently (page-cache writeback and device caches give no ordering before fsync). File
     * sizes keep their latest value; namespace changes behave as in {@link #crash}.
     */
    public synchronized void crashReorderingSectors(Random random) {
        for (Inode inode : distinctInodes()) {
            byte[] image = Arrays.copyOf(inode.durable, inode.current.length);
            for (int sector = 0; sector < image.length; sector += SECTOR_BYTES) {
                int end = Math.min(image.length, sector + SECTOR_BYTES);
                if (!Arrays.equals(image, sector, end, inode.current, sector, end) && random.nextBoolean()) {
                    System.arraycopy(inode.current, sector, image, sector, end - sector);
                }
            }
            inode.durable = image;
        }
        int keptNames = random.nextInt(pendingNames.size() + 1);
        for (int i = 0; i < keptNames; i++) {
            applyName(durableNames, pendingNames.get(i));
        }
        restart();
    }

    /** Simulates power loss that keeps nothing unsynced. */
    public synchronized void crashLosingAllUnsynced() {
        restart();
    }

    /** Flips bit {@code bit} (0–7) of the byte at {@code offset}, durably. */
    public synchronized void flipBit(Path file, long offset, int bit) {
        Inode inode = inode(file);
        inode.durable[(int) offset] ^= (byte) (1 << bit);
        inode.current[(int) offset] ^= (byte) (1 << bit);
    }

    /** Overwrites bytes of {@code file} in place, durably: damage the WAL did not write. */
    public synchronized void overwrite(Path file, long offset, byte[] bytes) {
        Inode inode = inode(file);
        System.arraycopy(bytes, 0, inode.durable, (int) offset, bytes.length);
        System.arraycopy(bytes, 0, inode.current, (int) offset, bytes.length);
    }

    /** The current (not necessarily durable) content of {@code file}. */
    public synchronized byte[] contents(Path file) {
        return inode(file).current.clone();
    }

    /** How many times any file was forced: the negative controls count these. */
    public synchronized long forceCount() {
        return forceCount;
    }

    private Inode inode(Path file) {
        Inode inode = currentNames.get(key(file));
        if (inode == null) {
            throw new IllegalArgumentException("no such file " + file);
        }
        return inode;
    }

    private void restart() {
        currentNames.clear();
        currentNames.putAll(durableNames);
        pendingNames.clear();
        for (Inode inode : distinctInodes()) {
            inode.current = inode.durable.clone();
            inode.pending.clear();
        }
        locked.clear();
        epoch++;
    }

    private List<Inode> distinctInodes() {
        List<Inode> all = new ArrayList<>();
        for (Map<String, Inode> names : List.of(currentNames, durableNames)) {
            for (Inode inode : names.values()) {
                if (all.stream().noneMatch(i -> i == inode)) {
                    all.add(inode);
                }
            }
        }
        return all;
    }

    private void setName(String name, Inode inode) {
        NameOp op = new NameOp(name, inode);
        applyName(currentNames, op);
        pendingNames.add(op);
    }

    private static void applyName(Map<String, Inode> names, NameOp op) {
        if (op.inode() == null) {
            names.remove(op.name());
        } else {
            names.put(op.name(), op.inode());
        }
    }

    private static byte[] apply(byte[] image, FileOp op) {
        return switch (op) {
            case Resize r -> Arrays.copyOf(image, Math.toIntExact(r.sizeBytes()));
            case Write w -> {
                long end = w.offset() + w.bytes().length;
                byte[] grown = end > image.length ? Arrays.copyOf(image, Math.toIntExact(end)) : image.clone();
                System.arraycopy(w.bytes(), 0, grown, (int) w.offset(), w.bytes().length);
                yield grown;
            }
        };
    }

    private static String key(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private final class Handle implements DiskFile {
        private final Inode inode;
        private final int handleEpoch;
        private final Path path;

        Handle(Inode inode, int handleEpoch, Path path) {
            this.inode = inode;
            this.handleEpoch = handleEpoch;
            this.path = path;
        }

        private void checkAlive() throws IOException {
            if (handleEpoch != epoch) {
                throw new IOException("simulated disk crashed; handle of " + path + " is dead");
            }
        }

        @Override
        public long sizeBytes() throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                return inode.current.length;
            }
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                if (offset + length > inode.current.length) {
                    throw new EOFException("read past end of " + path + " at offset " + offset);
                }
                System.arraycopy(inode.current, (int) offset, dst, dstOffset, length);
            }
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            issue(new Write(offset, bytes));
        }

        @Override
        public void force() throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                inode.durable = inode.current.clone();
                inode.pending.clear();
                forceCount++;
            }
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            issue(new Resize(sizeBytes));
        }

        @Override
        public void preallocate(long sizeBytes) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                if (inode.current.length < sizeBytes) {
                    issue(new Resize(sizeBytes));
                }
                force();
            }
        }

        private void issue(FileOp op) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                inode.current = apply(inode.current, op);
                inode.pending.add(op);
            }
        }

        @Override
        public void close() {
            // Nothing to release: the inode lives in the namespace.
        }
    }
}
