package io.etcdj.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts every gRPC call into {@link GrpcServerMetrics}, labelled as go-grpc-prometheus does.
 *
 * <p>The labelled data points of a method are looked up once and kept ({@link MethodCounters}):
 * a {@code labelValues} lookup hashes and compares label lists, and this runs three or four times
 * per call on the event loop (measured: ~3.5 % of a put's allocation, plus the code label's
 * string building, before the cache).
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {

    private static final Status.Code[] CODES = Status.Code.values();

    private final GrpcServerMetrics metrics;
    private final ConcurrentHashMap<String, MethodCounters> methods = new ConcurrentHashMap<>();

    public GrpcMetricsInterceptor(GrpcServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** One method's data points; the handled counter per code is resolved on first use. */
    private static final class MethodCounters {
        final CounterDataPoint started;
        final CounterDataPoint sent;
        final CounterDataPoint received;
        final AtomicReferenceArray<CounterDataPoint> handled = new AtomicReferenceArray<>(CODES.length);
        private final GrpcServerMetrics metrics;
        private final String[] labels;

        MethodCounters(GrpcServerMetrics metrics, MethodDescriptor<?, ?> method) {
            this.metrics = metrics;
            this.labels = new String[] {typeLabel(method.getType()), method.getServiceName(), method.getBareMethodName()};
            started = metrics.started.labelValues(labels);
            sent = metrics.sent.labelValues(labels);
            received = metrics.received.labelValues(labels);
        }

        CounterDataPoint handled(Status.Code code) {
            CounterDataPoint point = handled.get(code.ordinal());
            if (point == null) {
                point = metrics.handled.labelValues(labels[0], labels[1], labels[2], codeLabel(code));
                handled.set(code.ordinal(), point); // a race stores the same data point twice
            }
            return point;
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        MethodCounters counters = methods.get(method.getFullMethodName());
        if (counters == null) {
            counters = methods.computeIfAbsent(method.getFullMethodName(), n -> new MethodCounters(metrics, method));
        }
        MethodCounters counting = counters;
        counting.started.inc();
        ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                counting.sent.inc();
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                counting.handled(status.getCode()).inc();
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onMessage(Q message) {
                counting.received.inc();
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
