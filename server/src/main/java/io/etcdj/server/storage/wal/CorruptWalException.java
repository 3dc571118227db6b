package io.etcdj.server.storage.wal;

import java.io.IOException;

/** The WAL is damaged beyond a torn tail; start-up must stop. Names the file and byte offset. */
public final class CorruptWalException extends IOException {

    private final String file;
    private final long offsetBytes;

    public CorruptWalException(String file, long offsetBytes, String problem) {
        super("wal: corrupt file " + file + " at offset " + offsetBytes + ": " + problem);
        this.file = file;
        this.offsetBytes = offsetBytes;
    }

    public String file() {
        return file;
    }

    public long offsetBytes() {
        return offsetBytes;
    }
}
