/**
 * Computes a new membership from the current one and a list of changes, without mutating the
 * current one: {@link io.etcdj.raft.confchange.Changer} takes the tracker's config and a deep copy
 * of its progress map, applies a simple change (at most one voter differs, §6 of the thesis:
 * single-server changes), enters a joint configuration (old and new voters must both agree) or
 * leaves one, checks the result's invariants, and hands back config + progress for the raft node
 * to install. {@link io.etcdj.raft.confchange.Restore} rebuilds a configuration from a {@code
 * ConfState} (snapshot or restart) by replaying it as a sequence of such changes.
 */
package io.etcdj.raft.confchange;
