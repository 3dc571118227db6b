package io.etcdj.pkg.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WaitRegistryTest {

    @Test
    void triggerCompletesTheRegisteredWaiterOnce() {
        WaitRegistry<String> registry = new WaitRegistry<>(8);
        CompletableFuture<String> future = registry.register(7);

        assertThat(registry.trigger(7, "done")).isTrue();
        assertThat(future).isCompletedWithValue("done");
        assertThat(registry.trigger(7, "again")).isFalse();
        assertThat(registry.size()).isZero();
    }

    @Test
    void duplicateIdsAndOverflowAreRefused() {
        WaitRegistry<String> registry = new WaitRegistry<>(2);
        registry.register(1);

        assertThatThrownBy(() -> registry.register(1)).hasMessageContaining("duplicate wait id 1");
        registry.register(2);
        assertThatThrownBy(() -> registry.register(3)).hasMessageContaining("full");
    }

    @Test
    void cancelledAndFailedWaitersAreGone() {
        WaitRegistry<String> registry = new WaitRegistry<>(8);
        CompletableFuture<String> cancelled = registry.register(1);
        CompletableFuture<String> failed = registry.register(2);

        registry.cancel(1);
        assertThat(registry.trigger(1, "late")).isFalse();
        assertThat(cancelled).isNotDone();
        assertThat(registry.fail(2, new IllegalStateException("stopped"))).isTrue();
        assertThat(failed).isCompletedExceptionally();
    }
}
