package io.etcdj.tests.differential;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether two servers answered a request the same way, and if not, names the first field
 * that differs ({@code kvs[1].mod_revision: 7 != 8}).
 *
 * <p>Everything is compared except the fields of the top-level {@code header} that identify the
 * cluster, the member and the raft term: two independent clusters legitimately differ there.
 * Nested headers (inside Txn responses) are compared: etcd leaves them at zero apart from the
 * revision, and a client can see them. Errors are compared by gRPC code and message, both of which
 * etcd's clients match on.
 */
public final class OutcomeComparator {

    /** Paths from the response root, without list indices. */
    public static final Set<String> IGNORED_PATHS = Set.of("header.cluster_id", "header.member_id", "header.raft_term");

    private final Set<String> ignoredPaths;

    public OutcomeComparator() {
        this(IGNORED_PATHS);
    }

    public OutcomeComparator(Set<String> ignoredPaths) {
        this.ignoredPaths = Set.copyOf(ignoredPaths);
    }

    /** Empty when equal; otherwise a one-line description of the first difference. */
    public Optional<String> difference(Outcome a, Outcome b) {
        if (a.isError() || b.isError()) {
            if (a.isError() && b.isError() && a.code() == b.code() && a.errorMessage().equals(b.errorMessage())) {
                return Optional.empty();
            }
            return Optional.of("outcome: " + a + " != " + b);
        }
        if (a.response().getDescriptorForType() != b.response().getDescriptorForType()) {
            return Optional.of("type: " + a.response().getDescriptorForType().getName() + " != "
                    + b.response().getDescriptorForType().getName());
        }
        return firstDifference("", a.response(), b.response());
    }

    private Optional<String> firstDifference(String path, Message a, Message b) {
        // Walk the declared fields in number order, so the report is stable and names the field.
        for (FieldDescriptor field : a.getDescriptorForType().getFields()) {
            String fieldPath = path.isEmpty() ? field.getName() : path + "." + field.getName();
            if (ignoredPaths.contains(fieldPath)) {
                continue;
            }
            Optional<String> difference = field.isRepeated()
                    ? repeatedDifference(fieldPath, field, a, b)
                    : singleDifference(fieldPath, field, a, b);
            if (difference.isPresent()) {
                return difference;
            }
        }
        if (!a.getUnknownFields().equals(b.getUnknownFields())) {
            return Optional.of((path.isEmpty() ? "" : path + ".") + "<unknown fields>: " + a.getUnknownFields()
                    + " != " + b.getUnknownFields());
        }
        return Optional.empty();
    }

    private Optional<String> singleDifference(String path, FieldDescriptor field, Message a, Message b) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            // An absent message and an empty one are the same on the wire for a client only if
            // presence is not tracked; protobuf tracks it, and so does etcd's Go code (nil checks).
            if (a.hasField(field) != b.hasField(field)) {
                return Optional.of(path + ": " + presence(a, field) + " != " + presence(b, field));
            }
            if (!a.hasField(field)) {
                return Optional.empty();
            }
            return firstDifference(path, (Message) a.getField(field), (Message) b.getField(field));
        }
        Object left = a.getField(field);
        Object right = b.getField(field);
        if (Objects.equals(left, right)) {
            return Optional.empty();
        }
        return Optional.of(path + ": " + scalar(left) + " != " + scalar(right));
    }

    private Optional<String> repeatedDifference(String path, FieldDescriptor field, Message a, Message b) {
        int sizeA = a.getRepeatedFieldCount(field);
        int sizeB = b.getRepeatedFieldCount(field);
        for (int i = 0; i < Math.min(sizeA, sizeB); i++) {
            Object left = a.getRepeatedField(field, i);
            Object right = b.getRepeatedField(field, i);
            String elementPath = path + "[" + i + "]";
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                Optional<String> difference = firstDifference(path, (Message) left, (Message) right)
                        .map(d -> elementPath + d.substring(path.length()));
                if (difference.isPresent()) {
                    return difference;
                }
            } else if (!Objects.equals(left, right)) {
                return Optional.of(elementPath + ": " + scalar(left) + " != " + scalar(right));
            }
        }
        if (sizeA != sizeB) {
            return Optional.of(path + ": " + sizeA + " elements != " + sizeB + " elements");
        }
        return Optional.empty();
    }

    private static String presence(Message message, FieldDescriptor field) {
        return message.hasField(field) ? Printing.text((Message) message.getField(field)) : "<absent>";
    }

    private static String scalar(Object value) {
        if (value instanceof com.google.protobuf.ByteString bytes) {
            return "\"" + com.google.protobuf.TextFormat.escapeBytes(bytes) + "\"";
        }
        return String.valueOf(value);
    }
}
