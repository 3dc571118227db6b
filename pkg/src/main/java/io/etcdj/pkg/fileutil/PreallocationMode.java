package io.etcdj.pkg.fileutil;

/**
 * How {@link FileUtil#preallocate} reserves space. Measured on this machine's ext4 (docs/wal.md):
 * appending into {@link #ZERO_FILL}ed blocks lets {@code fdatasync} skip the journal commit that a
 * size or extent change needs, which is why the WAL uses it; {@link #SPARSE} only moves the file
 * size and costs nothing up front.
 */
public enum PreallocationMode {
    /** {@code setLength}: the file reads as zeros but owns no blocks; the first write allocates. */
    SPARSE,
    /** Write real zeros up to the size and fsync, so later writes overwrite allocated blocks. */
    ZERO_FILL
}
