/**
 * Hand-off points between threads: {@link io.etcdj.pkg.wait.WaitRegistry} (request id → answer)
 * and {@link io.etcdj.pkg.wait.IndexWaiter} (wait until an increasing index reaches N). The
 * protocol threads never block on them; request threads do.
 */
package io.etcdj.pkg.wait;
