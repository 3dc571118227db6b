/**
 * etcd's concurrency services on the client port: {@code v3lockpb.Lock} (Lock, Unlock) and
 * {@code v3electionpb.Election} (Campaign, Proclaim, Leader, Observe, Resign).
 *
 * <p>What it owns: nothing durable. A lock or an election is only keys: a candidate's key is
 * {@code <name>/<lease id in lowercase hex>}, created by a txn on {@code create_revision == 0}
 * with the caller's lease; the holder (leader) is the key with the lowest create revision. So
 * everything here is etcd's client recipe (clientv3 {@code concurrency}) run inside the server, as
 * etcd itself does through its in-process client.
 *
 * <p>How data flows: each call runs on its own virtual thread ({@link
 * io.etcdj.server.concurrency.BlockingCalls}), never on a gRPC event loop. KV requests go through
 * {@link io.etcdj.server.concurrency.LocalClient} into the member's own KV and Lease services, so
 * they get the same checks, limits and errors as a remote client's. A waiter reads the one key just
 * ahead of it (the last key created before its own) and its own key in one linearizable read, then
 * watches both for deletion on the member's watch hub from the revision after that read ({@link
 * io.etcdj.server.concurrency.KeyWatch}); any deletion makes it read again. It is the holder when no
 * earlier key remains; it gives up when its own key is gone (lease expired or revoked, key
 * deleted). A client that cancels interrupts the call's thread and the call removes its key.
 *
 * <p>Errors: etcd's recipes run behind its in-process client, which drops gRPC codes, so every
 * error these services return is {@code UNKNOWN} with etcd's message (see {@link
 * io.etcdj.server.concurrency.RecipeErrors}).
 */
package io.etcdj.server.concurrency;
