/** {@code etcdutl}: the offline tool on a data dir or snapshot file (snapshot restore/status, defrag, hashkv). */
package io.etcdj.etcdutl;
