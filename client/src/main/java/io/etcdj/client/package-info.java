/**
 * The Java client library over the generated etcd stubs. Today it holds only what
 * {@code bin/benchmark} needs: parsing an {@code --endpoints} list ({@link Endpoints}) and a fixed
 * pool of plaintext grpc-okhttp channels spread round-robin over those endpoints
 * ({@link ChannelPool}). Retry, auth tokens and watch resume come later.
 */
package io.etcdj.client;
