package io.etcdj.server.storage.wal;

/** What a WAL record holds; the codes are etcd's walpb record types, written as one byte. */
enum RecordType {
    METADATA(1),
    ENTRY(2),
    HARD_STATE(3),
    CRC(4),
    SNAPSHOT(5);

    final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The type with this code, or null for a code no writer produces. */
    static RecordType ofCode(int code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
