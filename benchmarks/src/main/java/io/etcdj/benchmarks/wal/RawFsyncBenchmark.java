package io.etcdj.benchmarks.wal;

import io.etcdj.pkg.fileutil.FileUtil;
import io.etcdj.pkg.fileutil.PreallocationMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * etcd's disk check in JMH: append 2300 bytes, fdatasync ({@code force(false)}), repeat. {@code
 * layout} is what the file looks like ahead of the writes: {@code APPEND} grows it on every write
 * (what fio does), {@code SPARSE} and {@code ZERO_FILL} preallocate 64 MiB the two ways
 * {@link FileUtil#preallocate} offers — the measurement behind the WAL's choice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawFsyncBenchmark {

    static final int WRITE_BYTES = 2300;
    static final long FILE_BYTES = 64L << 20;

    @Param({"APPEND", "SPARSE", "ZERO_FILL"})
    public String layout;

    private Path dir;
    private FileChannel channel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(WRITE_BYTES);
    private long offset;

    @Setup(Level.Iteration)
    public void openFile() throws IOException {
        dir = Files.createTempDirectory("etcdj-fsync-bench");
        channel = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (!layout.equals("APPEND")) {
            FileUtil.preallocate(channel, FILE_BYTES, PreallocationMode.valueOf(layout));
            channel.force(true);
        }
        for (int i = 0; i < WRITE_BYTES; i++) {
            block.put(i, (byte) (i * 31 + 7));
        }
        offset = 0;
    }

    @Benchmark
    public long appendAndFdatasync() throws IOException {
        if (offset + WRITE_BYTES > FILE_BYTES) {
            offset = 0; // an iteration rarely gets here; rewriting allocated blocks is the cheap case
        }
        block.clear();
        while (block.hasRemaining()) {
            offset += channel.write(block, offset);
        }
        channel.force(false);
        return offset;
    }

    @TearDown(Level.Iteration)
    public void removeFile() throws IOException {
        channel.close();
        Files.deleteIfExists(dir.resolve("f"));
        Files.deleteIfExists(dir);
    }
}
