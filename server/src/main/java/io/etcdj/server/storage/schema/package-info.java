/**
 * The backend's schema: which buckets exist and which well-known keys live in the {@code meta}
 * bucket. Names are etcd's (server/storage/schema), so a reader of etcd's code finds the same words
 * here.
 *
 * <p>Data flow: the backend opens one LMDB named database per {@link io.etcdj.server.storage.schema.Bucket};
 * the MVCC store, lessor, auth store and membership write through the backend under these names;
 * {@link io.etcdj.server.storage.schema.MetaKeys} names the keys of bookkeeping values (consistent
 * index, term, compaction revisions, conf state) that must commit in the same transaction as the
 * data they describe.
 */
package io.etcdj.server.storage.schema;
