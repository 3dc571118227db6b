package io.etcdj.server.watch;

import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.mvcc.History;

/** What catching up needs from the store: {@link History}'s three reads (a fake in tests). */
interface HistorySource {

    long compactRevision();

    /** The store's revision now (may be ahead of what the hub has been told). */
    long currentRevision();

    /** Whole revisions of {@code [from, to]}; throws CompactedException if {@code from} is gone. */
    History.Batch read(long from, long to, int maxEvents);

    /** The key's value before {@code modRevision}, or null. */
    KeyValue previous(byte[] key, long modRevision);

    static HistorySource of(History history) {
        return new HistorySource() {
            @Override
            public long compactRevision() {
                return history.compactRevision();
            }

            @Override
            public long currentRevision() {
                return history.currentRevision();
            }

            @Override
            public History.Batch read(long from, long to, int maxEvents) {
                return history.read(from, to, maxEvents);
            }

            @Override
            public KeyValue previous(byte[] key, long modRevision) {
                return history.previous(key, modRevision);
            }
        };
    }
}
