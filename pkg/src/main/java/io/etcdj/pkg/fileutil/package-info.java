/**
 * File utilities a durable store needs and the JDK leaves to the caller: fsync of a file and of a
 * directory, segment preallocation, an exclusive lock on a data directory, atomic
 * write-then-rename, and name-ordered listings.
 *
 * <p>Durability contract: a write is durable only after {@link io.etcdj.pkg.fileutil.FileUtil#fsync}
 * of the file <em>and</em>, for a file that was created, renamed or deleted, after
 * {@link io.etcdj.pkg.fileutil.FileUtil#fsyncDir} of its directory (POSIX keeps directory entries
 * in the directory's own inode). {@link io.etcdj.pkg.fileutil.FileUtil#writeAtomically} does all
 * of it, so a reader sees either the old file or the whole new one, never a prefix.
 *
 * <p>This package depends on the JDK only; it knows nothing about etcd.
 */
package io.etcdj.pkg.fileutil;
