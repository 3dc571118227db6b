package io.etcdj.server.etcdserver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Member and cluster ids, derived as etcd derives them for a new cluster, so a member started with
 * the same {@code --initial-cluster} and {@code --initial-cluster-token} gets the id etcd would
 * give it (a single default member is {@code 8e9e05c52164694d} in cluster {@code cdf818194e3a8c32}).
 *
 * <ul>
 *   <li>member id = first 8 bytes (big-endian) of SHA-1(sorted peer URLs concatenated + token);</li>
 *   <li>cluster id = first 8 bytes of SHA-1(the sorted member ids, 8 bytes big-endian each).</li>
 * </ul>
 */
public record MemberIdentity(long memberId, long clusterId) {

    /** Ids for {@code name} in {@code initialCluster} (name → peer URLs), bootstrapped with {@code token}. */
    public static MemberIdentity derive(String name, Map<String, List<String>> initialCluster, String token) {
        List<String> ownUrls = initialCluster.get(name);
        if (ownUrls == null) {
            throw new IllegalArgumentException("couldn't find local name \"" + name + "\" in the initial cluster configuration");
        }
        List<Long> memberIds = new ArrayList<>();
        for (List<String> urls : initialCluster.values()) {
            memberIds.add(memberId(urls, token));
        }
        return new MemberIdentity(memberId(ownUrls, token), clusterId(memberIds));
    }

    static long memberId(Collection<String> peerUrls, String token) {
        List<String> sorted = new ArrayList<>(peerUrls);
        sorted.sort(null);
        String material = String.join("", sorted) + token;
        return first8(sha1(material.getBytes(StandardCharsets.UTF_8)));
    }

    static long clusterId(Collection<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer bytes = ByteBuffer.allocate(8 * sorted.size());
        sorted.forEach(bytes::putLong);
        return first8(sha1(bytes.array()));
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
        }
    }

    private static long first8(byte[] hash) {
        return ByteBuffer.wrap(hash, 0, 8).getLong();
    }

    public String memberIdHex() {
        return Long.toHexString(memberId);
    }

    public String clusterIdHex() {
        return Long.toHexString(clusterId);
    }
}
