package io.etcdj.tests.e2e;

import static io.etcdj.tests.e2e.KvCrashCheckE2eTest.CI_ROUNDS;
import static io.etcdj.tests.e2e.KvCrashCheckE2eTest.crashCheck;
import static io.etcdj.tests.e2e.KvCrashCheckE2eTest.lastLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The crash check validated on the reference etcd (it must find nothing lost) and its negative
 * controls (a wiped data dir and a planted wrong revision must be reported as losses).
 */
@Tag("e2e")
class KvCrashCheckReferenceE2eTest {

    @Test
    void theReferenceLosesNothing() {
        CommandResult result = crashCheck("--reference", "--max-load-ms", "2000", String.valueOf(CI_ROUNDS));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(lastLine(result)).matches(CI_ROUNDS + " rounds, [1-9]\\d* acked, 0 lost");
    }

    @Test
    void aWipedDataDirIsReportedAsLosses() {
        CommandResult result = crashCheck("--reference", "--wipe-data-dir", "--max-load-ms", "1000", "1");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(lastLine(result)).matches("1 rounds, ([1-9]\\d*) acked, \\1 lost");
        assertThat(result.stderr()).contains("crash-check: lost: k_1_");
    }

    @Test
    void aWrongModRevisionIsReportedAsOneLoss() {
        CommandResult result = crashCheck("--reference", "--plant-wrong-revision", "--max-load-ms", "1000", "1");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(lastLine(result)).matches("1 rounds, [1-9]\\d* acked, 1 lost");
        assertThat(result.stderr()).containsPattern("crash-check: lost: k_1_\\d+_0 mod_revision \\d+ != \\d+");
    }
}
