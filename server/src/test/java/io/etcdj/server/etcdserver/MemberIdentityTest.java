package io.etcdj.server.etcdserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberIdentityTest {

    @Test
    void theDefaultSingleMemberGetsEtcdsWellKnownIds() {
        MemberIdentity identity = MemberIdentity.derive("default",
                Map.of("default", List.of("http://localhost:2380")), "etcd-cluster");

        assertThat(identity.memberIdHex()).isEqualTo("8e9e05c52164694d");
        assertThat(identity.clusterIdHex()).isEqualTo("cdf818194e3a8c32");
    }

    @Test
    void idsDependOnTheTokenAndThePeerUrlsNotTheirOrder() {
        MemberIdentity a = MemberIdentity.derive("a", Map.of("a", List.of("http://1:2380", "http://2:2380")), "t1");
        MemberIdentity reordered = MemberIdentity.derive("a", Map.of("a", List.of("http://2:2380", "http://1:2380")), "t1");
        MemberIdentity otherToken = MemberIdentity.derive("a", Map.of("a", List.of("http://1:2380", "http://2:2380")), "t2");

        assertThat(reordered).isEqualTo(a);
        assertThat(otherToken.memberId()).isNotEqualTo(a.memberId());
    }

    @Test
    void everyMemberOfAClusterComputesTheSameClusterId() {
        Map<String, List<String>> cluster = new LinkedHashMap<>();
        cluster.put("infra0", List.of("http://10.0.1.10:2380"));
        cluster.put("infra1", List.of("http://10.0.1.11:2380"));
        cluster.put("infra2", List.of("http://10.0.1.12:2380"));

        long clusterId = MemberIdentity.derive("infra0", cluster, "etcd-cluster-1").clusterId();

        assertThat(MemberIdentity.derive("infra2", cluster, "etcd-cluster-1").clusterId()).isEqualTo(clusterId);
        assertThat(MemberIdentity.derive("infra1", cluster, "etcd-cluster-1").memberId())
                .isNotEqualTo(MemberIdentity.derive("infra2", cluster, "etcd-cluster-1").memberId());
    }

    @Test
    void aNameMissingFromTheInitialClusterIsRefused() {
        assertThatThrownBy(() -> MemberIdentity.derive("x", Map.of("a", List.of("http://1:2380")), "t"))
                .hasMessageContaining("couldn't find local name \"x\"");
    }
}
