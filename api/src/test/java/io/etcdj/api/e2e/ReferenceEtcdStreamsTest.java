package io.etcdj.api.e2e;

import static io.etcdj.api.e2e.ReferenceEtcdKvTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.SnapshotRequest;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The streaming RPCs (Watch, LeaseKeepAlive, Snapshot) through our stubs against the real etcd. */
@Tag("e2e")
class ReferenceEtcdStreamsTest {
  private static final long DEADLINE_SECONDS = 15;
  private static ReferenceEtcd etcd;

  @BeforeAll
  static void startEtcd() throws Exception {
    assertThat(Files.isExecutable(ReferenceEtcd.BINARY))
        .as("reference etcd missing; apt-get install -y etcd-server etcd-client").isTrue();
    etcd = ReferenceEtcd.start();
    etcd.awaitServing(60);
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }

  /** Collects what the server sends so the test can wait for each message with a bound. */
  private static final class Inbox<T> implements StreamObserver<T> {
    final BlockingQueue<T> received = new LinkedBlockingQueue<>();
    volatile Throwable error;

    @Override
    public void onNext(T value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}

    T next() throws InterruptedException {
      T value = received.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertThat(value).as("no message within " + DEADLINE_SECONDS + " s; error=" + error).isNotNull();
      return value;
    }
  }

  @Test
  void watchCreateReceiveCancel() throws Exception {
    Inbox<WatchResponse> inbox = new Inbox<>();
    StreamObserver<WatchRequest> requests = WatchGrpc.newStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS * 2, TimeUnit.SECONDS).watch(inbox);
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(bytes("w/")).setRangeEnd(bytes("w0")).setPrevKv(true)
        .addFilters(WatchCreateRequest.FilterType.NODELETE)).build());
    WatchResponse created = inbox.next();
    assertThat(created.getCreated()).isTrue();
    long watchId = created.getWatchId();

    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    kv.put(PutRequest.newBuilder().setKey(bytes("w/a")).setValue(bytes("1")).build());
    long second = kv.put(PutRequest.newBuilder().setKey(bytes("w/a")).setValue(bytes("2")).build())
        .getHeader().getRevision();

    WatchResponse first = inbox.next();
    assertThat(first.getWatchId()).isEqualTo(watchId);
    Event event = first.getEvents(0);
    assertThat(event.getType()).isEqualTo(Event.EventType.PUT);
    assertThat(event.getKv().getKey()).isEqualTo(bytes("w/a"));
    assertThat(event.getKv().getVersion()).isEqualTo(1);
    WatchResponse update = first.getEventsCount() == 2 ? first : inbox.next();
    Event last = update.getEvents(update.getEventsCount() - 1);
    assertThat(last.getKv().getModRevision()).isEqualTo(second);
    assertThat(last.getPrevKv().getValue()).isEqualTo(bytes("1"));

    requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder()
        .setWatchId(watchId)).build());
    WatchResponse canceled = inbox.next();
    assertThat(canceled.getCanceled()).isTrue();
    assertThat(canceled.getWatchId()).isEqualTo(watchId);
    requests.onCompleted();
  }

  @Test
  void leaseKeepAliveAnswersTheTtl() throws Exception {
    long id = LeaseGrpc.newBlockingStub(etcd.channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(40).build()).getID();
    Inbox<LeaseKeepAliveResponse> inbox = new Inbox<>();
    StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).leaseKeepAlive(inbox);
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
    LeaseKeepAliveResponse renewed = inbox.next();
    assertThat(renewed.getID()).isEqualTo(id);
    assertThat(renewed.getTTL()).isEqualTo(40);
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id + 1).build());
    assertThat(inbox.next().getTTL()).as("an unknown lease answers TTL <= 0").isLessThanOrEqualTo(0);
    requests.onCompleted();
  }

  @Test
  void snapshotStreamsBlobsDownToZeroRemaining() {
    Iterator<SnapshotResponse> chunks = MaintenanceGrpc.newBlockingStub(etcd.channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .snapshot(SnapshotRequest.getDefaultInstance());
    long total = 0;
    SnapshotResponse last = null;
    while (chunks.hasNext()) {
      last = chunks.next();
      total += last.getBlob().size();
    }
    assertThat(last).isNotNull();
    assertThat(last.getRemainingBytes()).isZero();
    // The bbolt file plus etcd's trailing 32-byte sha256.
    assertThat(total).isGreaterThan(32);
  }
}
