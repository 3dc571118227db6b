package io.etcdj.pkg.fileutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUtilTest {

    @TempDir
    Path dir;

    @Test
    void fsyncOfFileAndDirectorySucceed() throws IOException {
        Path file = Files.writeString(dir.resolve("a"), "x");
        FileUtil.fsync(file);
        FileUtil.fsyncDir(dir);
    }

    @Test
    void createDirAllMakesEveryMissingParent() throws IOException {
        Path deep = dir.resolve("member/wal/x");
        FileUtil.createDirAll(deep);
        assertThat(deep).isDirectory();
        FileUtil.createDirAll(deep); // idempotent
    }

    @Test
    void preallocateBothModesGiveZerosOfTheSizeAndNeverShrink() throws IOException {
        for (PreallocationMode mode : PreallocationMode.values()) {
            Path file = dir.resolve("seg-" + mode);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {7, 7}));
                FileUtil.preallocate(ch, 3 * FileUtil.ZERO_CHUNK_BYTES + 5, mode);
                assertThat(ch.size()).isEqualTo(3L * FileUtil.ZERO_CHUNK_BYTES + 5);
                FileUtil.preallocate(ch, 10, mode);
                assertThat(ch.size()).as("never shrinks").isEqualTo(3L * FileUtil.ZERO_CHUNK_BYTES + 5);
            }
            byte[] content = Files.readAllBytes(file);
            assertThat(content[0]).isEqualTo((byte) 7);
            assertThat(content[1]).isEqualTo((byte) 7);
            for (int i = 2; i < content.length; i++) {
                if (content[i] != 0) {
                    throw new AssertionError(mode + ": non-zero byte at " + i);
                }
            }
        }
    }

    @Test
    void writeAtomicallyReplacesWholeFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("0000000000000001-0000000000000002.snap");
        FileUtil.writeAtomically(target, "old".getBytes(StandardCharsets.UTF_8));
        FileUtil.writeAtomically(target, "new content".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("new content");
        assertThat(FileUtil.listBySuffix(dir, ".tmp")).isEmpty();
    }

    @Test
    void listBySuffixFiltersAndSortsByName() throws IOException {
        for (String name : new String[] {"b.wal", "a.wal", "c.snap", "0.tmp", "aa.wal"}) {
            Files.writeString(dir.resolve(name), "");
        }
        assertThat(FileUtil.listBySuffix(dir, ".wal")).containsExactly("a.wal", "aa.wal", "b.wal");
        assertThat(FileUtil.listBySuffix(dir.resolve("missing"), ".wal")).isEmpty();
    }
}
