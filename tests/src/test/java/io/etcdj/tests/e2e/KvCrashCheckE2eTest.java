package io.etcdj.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.tests.framework.CommandResult;
import io.etcdj.tests.framework.Commands;
import io.etcdj.tests.framework.Repo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/crash-check.sh} against {@code bin/etcd}: kill -9 under load, restart on the same
 * data dir, no acknowledged put lost. A short CI run (one round, under a minute);
 * soak by hand with {@code scripts/crash-check.sh 50}.
 */
@Tag("e2e")
class KvCrashCheckE2eTest {

    /** One kill per CI run: each round restarts a JVM, which dominates the cost. */
    static final int CI_ROUNDS = 1;

    @Test
    void noAcknowledgedWriteIsLostAcrossKill9() {
        CommandResult result = crashCheck("--max-load-ms", "2000", String.valueOf(CI_ROUNDS));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(lastLine(result)).matches(CI_ROUNDS + " rounds, [1-9]\\d* acked, 0 lost");
    }

    static CommandResult crashCheck(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Repo.root().resolve("scripts/crash-check.sh").toString());
        command.addAll(List.of(args));
        // The script bounds itself (60 s + 40 s a round); this only catches a hung harness.
        return Commands.run(command, Map.of(), null, Duration.ofMinutes(6));
    }

    static String lastLine(CommandResult result) {
        String[] lines = result.stdout().strip().split("\n");
        return lines[lines.length - 1];
    }
}
