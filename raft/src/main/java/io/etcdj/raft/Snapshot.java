package io.etcdj.raft;

import java.util.Arrays;

/** A raft snapshot: the application's opaque state up to {@code metadata.index()}. */
public record Snapshot(byte[] data, SnapshotMetadata metadata) {

    public static final Snapshot EMPTY = new Snapshot(new byte[0], SnapshotMetadata.EMPTY);

    public Snapshot {
        if (data == null) {
            data = new byte[0];
        }
        if (metadata == null) {
            metadata = SnapshotMetadata.EMPTY;
        }
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot that
                && metadata.equals(that.metadata)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot{" + metadata + ", " + data.length + "B}";
    }
}
