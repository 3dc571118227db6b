package io.etcdj.server.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.common.HttpRequest;
import io.etcdj.server.version.Version;

/**
 * {@code GET /version}: {@code {"etcdserver":"3.6.0","etcdcluster":"3.6.0","storage":"3.6.0"}},
 * the etcd API version this server implements, the cluster version, and the storage version
 * (a field etcd added in 3.6). Kubernetes and operators parse these as semver.
 */
public final class VersionService implements HttpService {

    private final String body;

    public VersionService() {
        this.body = "{\"etcdserver\":\"" + Version.API + "\",\"etcdcluster\":\"" + Version.clusterVersion()
                + "\",\"storage\":\"" + Version.clusterVersion() + "\"}";
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
    }
}
