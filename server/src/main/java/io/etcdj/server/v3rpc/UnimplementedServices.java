package io.etcdj.server.v3rpc;

import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.List;

/**
 * Every etcd gRPC service with no method implemented: the generated base classes answer each
 * call with {@code UNIMPLEMENTED}, which is what etcd's clients expect for a method a server does
 * not have (Kubernetes falls back from {@code RangeStream} to {@code Range} on it). A service is
 * replaced by its real implementation as its capability lands.
 */
public final class UnimplementedServices {

    private UnimplementedServices() {
    }

    public static List<BindableService> all() {
        return List.of(
                new KVGrpc.KVImplBase() { },
                new WatchGrpc.WatchImplBase() { },
                new LeaseGrpc.LeaseImplBase() { },
                new ClusterGrpc.ClusterImplBase() { },
                new MaintenanceGrpc.MaintenanceImplBase() { },
                new AuthGrpc.AuthImplBase() { },
                new LockGrpc.LockImplBase() { },
                new ElectionGrpc.ElectionImplBase() { });
    }

    /** {@code implemented}, plus an unimplemented stand-in for every etcd service they leave out. */
    public static List<BindableService> completing(List<BindableService> implemented) {
        List<String> names = implemented.stream().map(s -> s.bindService().getServiceDescriptor().getName()).toList();
        List<BindableService> services = new ArrayList<>(implemented);
        for (BindableService placeholder : all()) {
            if (!names.contains(placeholder.bindService().getServiceDescriptor().getName())) {
                services.add(placeholder);
            }
        }
        return services;
    }
}
