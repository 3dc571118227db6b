package io.etcdj.server.concurrency;

import static io.etcdj.server.concurrency.RecipeMember.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.api.v3lockpb.UnlockResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock recipe on a whole member. Waiting is checked without timing: a waiter's answer header
 * must come at or after the revision that released the lock before it, which a lock that let two
 * callers in at once could not give.
 */
class MutexTest {
    @TempDir
    Path dir;

    private RecipeMember member;
    private Mutex mutex;

    @BeforeEach
    void start() throws Exception {
        member = new RecipeMember(dir);
        mutex = new Mutex(member.client);
    }

    @AfterEach
    void stop() {
        member.close();
    }

    /** A lock call on its own thread, as the service runs it; cancel() interrupts it like a client cancel. */
    private static final class Waiter {
        final CompletableFuture<LockResponse> answer = new CompletableFuture<>();
        final Thread thread;

        Waiter(Mutex mutex, String name, long lease) {
            thread = Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(mutex.lock(request(name, lease)));
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                }
            });
        }
    }

    private static LockRequest request(String name, long lease) {
        return LockRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).setLease(lease).build();
    }

    private long unlock(ByteString key) throws Exception {
        return mutex.unlock(UnlockRequest.newBuilder().setKey(key).build()).getHeader().getRevision();
    }

    @Test
    void theKeyIsNameSlashLeaseHexAndAnUncontendedLockAnswersAtItsOwnRevision() throws Exception {
        long lease = member.grant(60);
        LockResponse held = mutex.lock(request("job", lease));
        assertThat(held.getKey().toStringUtf8()).isEqualTo("job/" + Long.toHexString(lease));
        KeyValue kv = member.keys("job/").get(0);
        assertThat(kv.getLease()).isEqualTo(lease);
        assertThat(kv.getValue()).isEmpty();
        assertThat(held.getHeader().getRevision()).isEqualTo(kv.getCreateRevision());
        assertThat(held.getHeader().getClusterId()).isNotZero();
        // Same lease again: the same key, still held (etcd's mutex reuses it).
        assertThat(mutex.lock(request("job", lease)).getKey()).isEqualTo(held.getKey());
        unlock(held.getKey());
        assertThat(member.keys("job/")).isEmpty();
    }

    @Test
    void waitersGetTheLockInTheOrderTheyJoinedEachAfterTheReleaseBeforeIt() throws Exception {
        long a = member.grant(60);
        long b = member.grant(60);
        long c = member.grant(60);
        LockResponse first = mutex.lock(request("line", a));
        Waiter second = new Waiter(mutex, "line", b);
        member.awaitKeyCount("line/", 2);
        Waiter third = new Waiter(mutex, "line", c);
        member.awaitKeyCount("line/", 3);
        assertThat(second.answer).isNotDone();
        assertThat(third.answer).isNotDone();

        long released = unlock(first.getKey());
        LockResponse secondHeld = get(second.answer);
        assertThat(secondHeld.getKey().toStringUtf8()).isEqualTo("line/" + Long.toHexString(b));
        assertThat(secondHeld.getHeader().getRevision()).isGreaterThanOrEqualTo(released);
        assertThat(third.answer).isNotDone();

        long releasedAgain = unlock(secondHeld.getKey());
        LockResponse thirdHeld = get(third.answer);
        assertThat(thirdHeld.getKey().toStringUtf8()).isEqualTo("line/" + Long.toHexString(c));
        assertThat(thirdHeld.getHeader().getRevision()).isGreaterThanOrEqualTo(releasedAgain)
                .isGreaterThan(secondHeld.getHeader().getRevision());
    }

    @Test
    void aRevokedHoldersLeaseReleasesTheLock() throws Exception {
        long a = member.grant(60);
        long b = member.grant(60);
        mutex.lock(request("rv", a));
        Waiter next = new Waiter(mutex, "rv", b);
        member.awaitKeyCount("rv/", 2);
        long revoked = member.revoke(a).getRevision();
        assertThat(get(next.answer).getHeader().getRevision()).isGreaterThanOrEqualTo(revoked);
    }

    @Test
    void anExpiredHoldersLeaseReleasesTheLock() throws Exception {
        long shortLived = member.grant(1); // nobody keeps it alive
        long b = member.grant(600);
        LockResponse held = mutex.lock(request("exp", shortLived));
        Waiter next = new Waiter(mutex, "exp", b);
        LockResponse taken = get(next.answer);
        assertThat(taken.getHeader().getRevision()).isGreaterThan(held.getHeader().getRevision());
        assertThat(member.leaseExists(shortLived)).isFalse();
        assertThat(member.keys("exp/")).extracting(KeyValue::getKey).containsExactly(taken.getKey());
    }

    @Test
    void aWaiterWhoseLeaseIsGoneGivesUpWithEtcdsSessionExpiredError() throws Exception {
        long a = member.grant(60);
        long b = member.grant(60);
        LockResponse held = mutex.lock(request("gone", a));
        Waiter waiter = new Waiter(mutex, "gone", b);
        member.awaitKeyCount("gone/", 2);
        member.revoke(b);
        assertUnknown(waiter.answer, "mutex: session is expired");
        assertThat(member.keys("gone/")).extracting(KeyValue::getKey).containsExactly(held.getKey());
    }

    @Test
    void aCancelledWaiterTakesItsKeyAwayAndTheNextOneMovesUp() throws Exception {
        long a = member.grant(60);
        long b = member.grant(60);
        long c = member.grant(60);
        LockResponse held = mutex.lock(request("cx", a));
        Waiter cancelled = new Waiter(mutex, "cx", b);
        member.awaitKeyCount("cx/", 2);
        Waiter last = new Waiter(mutex, "cx", c);
        member.awaitKeyCount("cx/", 3);

        cancelled.thread.interrupt();
        assertThatThrownBy(() -> get(cancelled.answer)).cause().isInstanceOf(InterruptedException.class);
        member.awaitKeyCount("cx/", 2);
        assertThat(member.keys("cx/")).extracting(kv -> kv.getKey().toStringUtf8())
                .doesNotContain("cx/" + Long.toHexString(b));
        assertThat(cancelled.thread.join(java.time.Duration.ofSeconds(RecipeMember.WAIT_SECONDS))).isTrue();

        unlock(held.getKey());
        assertThat(get(last.answer).getKey().toStringUtf8()).isEqualTo("cx/" + Long.toHexString(c));
    }

    /** Through the service, which turns every failure into etcd's UNKNOWN with the message. */
    private static void assertUnknown(CompletableFuture<?> answer, String message) {
        assertThatThrownBy(() -> get(answer)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });
    }

    @Test
    void anUnknownLeaseFailsAsEtcdAndLeaseZeroGetsASixtySecondSession() throws Exception {
        try (LockService service = new LockService(member.client)) {
            FutureObserver<LockResponse> unknown = new FutureObserver<>();
            service.lock(request("nl", 0x7777), unknown);
            assertUnknown(unknown.answer, "etcdserver: requested lease not found");
            FutureObserver<LockResponse> session = new FutureObserver<>();
            service.lock(request("nl", 0), session);
            LockResponse held = get(session.answer);
            long lease = member.keys("nl/").get(0).getLease();
            assertThat(held.getKey().toStringUtf8()).isEqualTo("nl/" + Long.toHexString(lease));
            assertThat(member.grantedTtl(lease)).isEqualTo(Sessions.DEFAULT_TTL_SECONDS);
        }
    }

    @Test
    void unlockIsAPlainDeleteOfTheKey() throws Exception {
        try (LockService service = new LockService(member.client)) {
            FutureObserver<UnlockResponse> missing = new FutureObserver<>();
            service.unlock(UnlockRequest.newBuilder().setKey(ByteString.copyFromUtf8("never/locked")).build(), missing);
            assertThat(get(missing.answer).getHeader().getRevision()).isPositive();
            FutureObserver<UnlockResponse> empty = new FutureObserver<>();
            service.unlock(UnlockRequest.getDefaultInstance(), empty);
            assertUnknown(empty.answer, "etcdserver: key is not provided");
        }
    }
}
