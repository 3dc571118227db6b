package io.etcdj.server.v3rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.rpctypes.EtcdError;
import org.junit.jupiter.api.Test;

/** The differential comparison ignores exactly the cluster identity and nothing else. */
class OutcomeTest {
    static RangeResponse response(long cluster, long revision, boolean more) {
        return RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setClusterId(cluster)
                .setMemberId(cluster + 1).setRaftTerm(cluster + 2).setRevision(revision)).setMore(more).build();
    }

    @Test
    void clusterIdentityIsIgnored() {
        assertThat(Outcome.of(() -> response(1, 5, true))).isEqualTo(Outcome.of(() -> response(9, 5, true)));
    }

    @Test
    void everythingElseCounts() {
        assertThat(Outcome.of(() -> response(1, 5, true))).isNotEqualTo(Outcome.of(() -> response(1, 6, true)));
        assertThat(Outcome.of(() -> response(1, 5, true))).isNotEqualTo(Outcome.of(() -> response(1, 5, false)));
        assertThat(Outcome.of(() -> RangeResponse.getDefaultInstance()))
                .as("an absent header differs from an empty one")
                .isNotEqualTo(Outcome.of(() -> RangeResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                        .build()));
        Outcome error = Outcome.of(() -> {
            throw EtcdError.KEY_NOT_FOUND.asException();
        });
        assertThat(error.isError()).isTrue();
        assertThat(error).isNotEqualTo(Outcome.of(() -> {
            throw EtcdError.EMPTY_KEY.asException();
        }));
    }
}
