package io.etcdj.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.etcdserver.EtcdServer;
import java.util.concurrent.TimeUnit;

/**
 * {@code /livez} and {@code /readyz} (etcd 3.5.11+): plain {@code ok} when a serializable read
 * (livez) or a linearizable read (readyz) succeeds, else 503 {@code not ok}; {@code ?verbose}
 * lists the checks as {@code [+]name ok}.
 */
public final class ProbeService implements HttpService {

    private final EtcdServer server;
    private final boolean readiness;

    private ProbeService(EtcdServer server, boolean readiness) {
        this.server = server;
        this.readiness = readiness;
    }

    public static ProbeService livez(EtcdServer server) {
        return new ProbeService(server, false);
    }

    public static ProbeService readyz(EtcdServer server) {
        return new ProbeService(server, true);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        boolean verbose = ctx.query() != null && ctx.query().contains("verbose");
        String check = readiness ? "linearizable_read" : "serializable_read";
        RangeRequest probe = RangeRequest.newBuilder().setKeysOnly(true).setLimit(1).setSerializable(!readiness).build();
        return HttpResponse.of(server.range(probe).orTimeout(1, TimeUnit.SECONDS).handle((ok, error) -> {
            boolean healthy = error == null;
            String body = (verbose ? "[" + (healthy ? "+" : "-") + "]" + check + (healthy ? " ok\n" : " failed\n") : "")
                    + (healthy ? "ok" : "not ok") + "\n";
            return HttpResponse.of(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                    body);
        }));
    }
}
