package io.etcdj.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Locale;

/** Counts every gRPC call into {@link GrpcServerMetrics}, labelled as go-grpc-prometheus does. */
public final class GrpcMetricsInterceptor implements ServerInterceptor {

    private final GrpcServerMetrics metrics;

    public GrpcMetricsInterceptor(GrpcServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        String type = typeLabel(method.getType());
        String service = method.getServiceName();
        String name = method.getBareMethodName();
        metrics.started.labelValues(type, service, name).inc();
        ServerCall<Q, R> counting = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                metrics.sent.labelValues(type, service, name).inc();
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                metrics.handled.labelValues(type, service, name, codeLabel(status.getCode())).inc();
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(counting, headers)) {
            @Override
            public void onMessage(Q message) {
                metrics.received.labelValues(type, service, name).inc();
                super.onMessage(message);
            }
        };
    }

    /** go-grpc-prometheus's type names. */
    static String typeLabel(MethodDescriptor.MethodType type) {
        return switch (type) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "client_stream";
            case SERVER_STREAMING -> "server_stream";
            case BIDI_STREAMING -> "bidi_stream";
            case UNKNOWN -> "unknown";
        };
    }

    /** Go's code names: {@code OK}, {@code NotFound}, {@code DeadlineExceeded}, ... */
    static String codeLabel(Status.Code code) {
        StringBuilder camel = new StringBuilder();
        for (String word : code.name().split("_")) {
            camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return code == Status.Code.OK ? "OK" : camel.toString();
    }
}
