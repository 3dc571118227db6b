package io.etcdj.pkg.idutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    @Test
    void idsCarryTheMemberPrefixAndNeverRepeat() {
        IdGenerator generator = new IdGenerator(0x8e9e05c52164694dL, 1_700_000_000_000L);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = generator.next();
            assertThat(id >>> 48).isEqualTo(0x694dL);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void aRestartLaterIssuesDifferentIds() {
        long first = new IdGenerator(1, 1_700_000_000_000L).next();
        long afterRestart = new IdGenerator(1, 1_700_000_000_001L).next();

        assertThat(afterRestart).isGreaterThan(first);
    }
}
