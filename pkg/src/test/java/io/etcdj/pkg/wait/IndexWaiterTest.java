package io.etcdj.pkg.wait;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IndexWaiterTest {

    @Test
    void waitersAtOrBelowTheIndexCompleteAndOthersWait() {
        IndexWaiter waiter = new IndexWaiter();
        CompletableFuture<Void> five = waiter.waitFor(5);
        CompletableFuture<Void> six = waiter.waitFor(6);

        waiter.advanceTo(5);

        assertThat(five).isDone();
        assertThat(six).isNotDone();
        assertThat(waiter.waitFor(3)).isDone();
        waiter.advanceTo(4);
        assertThat(waiter.reached()).isEqualTo(5);
    }

    @Test
    void noWaiterIsStrandedWhenRegistrationRacesTheAdvance() throws Exception {
        for (int round = 0; round < 200; round++) {
            IndexWaiter waiter = new IndexWaiter();
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            Thread advancer = Thread.ofPlatform().start(() -> {
                for (long i = 1; i <= 100; i++) {
                    waiter.advanceTo(i);
                }
            });
            for (long i = 1; i <= 100; i++) {
                futures.add(waiter.waitFor(i));
            }
            advancer.join(10_000);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
    }
}
