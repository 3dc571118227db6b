package io.etcdj.server.etcdmain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up cache's training run drives a real member through every service and cleans up. */
class TrainingTest {

    @TempDir
    Path parent;

    @Test
    void servesTheWholeWorkloadAndLeavesNoDataDirBehind() throws Exception {
        long left = Training.run(parent);

        // 4,000 keys put, the first 2,000 deleted by the range delete.
        assertThat(left).isEqualTo(2_000);
        try (Stream<Path> entries = Files.list(parent)) {
            assertThat(entries).isEmpty();
        }
    }
}
