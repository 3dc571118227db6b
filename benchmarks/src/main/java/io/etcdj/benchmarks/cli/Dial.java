package io.etcdj.benchmarks.cli;

import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.client.ChannelPool;
import io.etcdj.client.Endpoints;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the benchmark reaches the servers: plaintext or TLS ({@code --cacert}, {@code --cert},
 * {@code --key}, or an {@code https://} endpoint), and with {@code --user name:password} an auth
 * token fetched once with {@code Auth.Authenticate} and sent on every call in the {@code token}
 * metadata, as etcd's clients do.
 */
final class Dial {

    /** The metadata key etcd reads the auth token from. */
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final String HTTPS = "https://";
    private static final String HTTP = "http://";

    /** {@code --user}: name and password. */
    record User(String name, String password) {
        /** etcd's form {@code name:password}; the password may itself contain ':'. */
        static User parse(String spec) {
            int colon = spec.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "--user must be name:password (password prompts are not supported), got '" + spec + "'");
            }
            return new User(spec.substring(0, colon), spec.substring(colon + 1));
        }
    }

    /** The parsed connection settings of the root command. */
    record Settings(List<Endpoints.Endpoint> endpoints, boolean tls, String caCert, String cert, String key,
            User user) {

        static Settings of(String endpointList, String caCert, String cert, String key, String user) {
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key must be given together");
            }
            boolean https = false;
            List<String> stripped = new ArrayList<>();
            for (String raw : endpointList.split(",", -1)) {
                String e = raw.trim();
                if (e.startsWith(HTTPS)) {
                    https = true;
                    e = e.substring(HTTPS.length());
                } else if (e.startsWith(HTTP)) {
                    e = e.substring(HTTP.length());
                }
                stripped.add(e);
            }
            boolean tls = https || caCert != null || cert != null;
            return new Settings(Endpoints.parse(String.join(",", stripped)), tls, caCert, cert, key,
                    user == null || user.isEmpty() ? null : User.parse(user));
        }

        ChannelCredentials credentials() {
            if (!tls) {
                return InsecureChannelCredentials.create();
            }
            try {
                TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
                if (caCert != null) {
                    b.trustManager(readable(caCert, "--cacert"));
                }
                if (cert != null) {
                    b.keyManager(readable(cert, "--cert"), readable(key, "--key"));
                }
                return b.build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load TLS files: " + e.getMessage(), e);
            }
        }

        private static File readable(String path, String flag) {
            File f = new File(path);
            if (!f.canRead()) {
                throw new IllegalArgumentException(flag + ": cannot read " + path);
            }
            return f;
        }
    }

    private Dial() {
    }

    /**
     * Opens the pool, waits for every connection and, with a user, authenticates on the first
     * connection before any load is sent. The caller closes the pool.
     */
    static ChannelPool open(Settings settings, int conns, Duration dialTimeout) {
        TokenInterceptor token = new TokenInterceptor();
        ChannelPool pool = ChannelPool.open(settings.endpoints(), conns, settings.credentials(), List.of(token));
        try {
            LoadRunner.awaitReady(pool, dialTimeout);
            if (settings.user() != null) {
                token.token = AuthGrpc.newBlockingStub(pool.forClient(0))
                        .withDeadlineAfter(dialTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .authenticate(AuthenticateRequest.newBuilder().setName(settings.user().name())
                                .setPassword(settings.user().password()).build())
                        .getToken();
            }
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Adds the token (once known) to every call; Authenticate itself goes out before it is set. */
    static final class TokenInterceptor implements ClientInterceptor {
        volatile String token;

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            String t = token;
            ClientCall<Q, R> call = next.newCall(method, options);
            if (t == null) {
                return call;
            }
            return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(TOKEN, t);
                    super.start(listener, headers);
                }
            };
        }
    }
}
