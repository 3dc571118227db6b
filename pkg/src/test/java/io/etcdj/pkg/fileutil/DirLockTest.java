package io.etcdj.pkg.fileutil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirLockTest {

    @TempDir
    Path dir;

    @Test
    void secondOwnerInSameProcessIsRefusedWithTheDirName() throws IOException {
        try (DirLock first = DirLock.acquire(dir)) {
            assertThatThrownBy(() -> DirLock.acquire(dir))
                    .isInstanceOf(DirLockedException.class)
                    .hasMessageContaining(dir.toAbsolutePath().toString());
        }
        // Released: the lock can be taken again.
        DirLock.acquire(dir).close();
    }

    @Test
    void anotherProcessIsRefusedWhileHeldAndAdmittedAfterRelease() throws Exception {
        ProcessResult refused;
        try (DirLock held = DirLock.acquire(dir)) {
            refused = runChild();
        }
        assertThat(refused.exitCode()).isEqualTo(DirLockChild.EXIT_LOCKED);
        assertThat(refused.output()).contains("is locked").contains(dir.toAbsolutePath().toString());

        // Negative control: with the lock released the same child gets it.
        ProcessResult admitted = runChild();
        assertThat(admitted.exitCode()).as(admitted.output()).isZero();
    }

    private record ProcessResult(int exitCode, String output) {
    }

    private ProcessResult runChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DirLockChild.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ProcessResult(process.exitValue(), output);
    }
}
