package io.etcdj.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.rpctypes.EtcdError;
import io.etcdj.server.etcdserver.EtcdServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health}, etcd's rules: unhealthy (503) without a leader, or when a range read of
 * the store fails within a second; {@code ?serializable=true} reads locally and skips the leader
 * check. The body is {@code {"health":"true","reason":""}} / {@code {"health":"false","reason":"…"}}.
 * Any raised alarm makes it unhealthy unless excluded ({@code ?exclude=NOSPACE}).
 */
public final class HealthService implements HttpService {

    private static final long READ_TIMEOUT_MILLIS = 1_000;

    private final EtcdServer server;

    public HealthService(EtcdServer server) {
        this.server = server;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        QueryParams params = QueryParams.fromQueryString(ctx.query());
        boolean serializable = Boolean.parseBoolean(params.get("serializable", "false"));
        java.util.List<String> excluded = params.getAll("exclude");
        for (io.etcdj.api.etcdserverpb.AlarmMember alarm : server.alarms()) {
            if (!excluded.contains(alarm.getAlarm().name())) {
                return unhealthy("ALARM " + alarm.getAlarm().name()).toHttpResponse();
            }
        }
        if (!serializable && server.leader() == 0) {
            return unhealthy("RAFT NO LEADER").toHttpResponse();
        }
        RangeRequest probe = RangeRequest.newBuilder().setKeysOnly(true).setLimit(1).setSerializable(serializable).build();
        CompletableFuture<HttpResponse> answer = server.range(probe)
                .orTimeout(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .handle((ok, error) -> error == null
                        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"health\":\"true\",\"reason\":\"\"}")
                        : unhealthy(reason(error)).toHttpResponse());
        return HttpResponse.of(answer);
    }

    private static String reason(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return EtcdError.fromThrowable(cause).map(e -> "QGET ERROR:" + e.message()).orElse("QGET ERROR:" + cause);
    }

    private static com.linecorp.armeria.common.AggregatedHttpResponse unhealthy(String reason) {
        return com.linecorp.armeria.common.AggregatedHttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON,
                "{\"health\":\"false\",\"reason\":\"" + reason.replace("\"", "'") + "\"}");
    }
}
