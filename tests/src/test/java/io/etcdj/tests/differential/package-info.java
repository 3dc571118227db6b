/**
 * The differential test: one seeded sequence of random KV requests is sent in lockstep to two
 * servers (the reference etcd and etcdj, or two reference etcds as a sanity check), and every
 * answer must be equal apart from the fields that name the cluster, the member and the raft term.
 *
 * <p>Data flow: {@link io.etcdj.tests.differential.KvRequestGenerator} proposes a request from
 * its seed and from what the first target has answered so far (head and compacted revision);
 * {@link io.etcdj.tests.differential.DifferentialRun} sends it to both
 * {@link io.etcdj.tests.differential.KvTarget}s; {@link io.etcdj.tests.differential.OutcomeComparator}
 * normalises and compares the two {@link io.etcdj.tests.differential.Outcome}s. The first
 * difference stops the run (the two stores may differ from then on) and is reported with the
 * seed that replays it ({@code -Ddiff.seed=N}).
 */
package io.etcdj.tests.differential;
