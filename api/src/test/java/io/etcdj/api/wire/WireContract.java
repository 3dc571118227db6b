package io.etcdj.api.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The wire contract flattened to one comparable fact per line ("field X.y 3 int64", "rpc /P.S/M
 * UNARY In Out"), built either from the hand-written table or from generated descriptors. Two
 * contracts are equal exactly when every field number, type, label, oneof, enum value and method
 * (path, streaming kind, message types) agrees.
 */
final class WireContract {
  private WireContract() {}

  /** Reads the hand-written table from the test classpath. */
  static List<String> tableLines(String resource) throws IOException {
    try (InputStream in = WireContract.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** The facts the table states. */
  static Set<String> fromTable(List<String> lines) {
    Set<String> facts = new TreeSet<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "msg" -> messageFacts(words, facts);
        case "enum" -> enumFacts(words, facts);
        case "rpc" -> facts.add("rpc /" + words[1] + " " + words[2] + " " + words[3] + " " + words[4]);
        default -> throw new IllegalArgumentException("unknown table line: " + line);
      }
    }
    return facts;
  }

  private static void messageFacts(String[] words, Set<String> facts) {
    facts.add("message " + words[1]);
    for (int i = 2; i < words.length; i++) {
      String[] parts = words[i].split(":", 3);
      facts.add("field " + words[1] + "." + parts[0] + " " + parts[1] + " " + parts[2]);
    }
  }

  private static void enumFacts(String[] words, Set<String> facts) {
    facts.add("enum " + words[1]);
    for (int i = 2; i < words.length; i++) {
      String[] parts = words[i].split("=", 2);
      facts.add("value " + words[1] + "." + parts[0] + " " + parts[1]);
    }
  }

  /** The facts the generated code states, for every message and enum of the files and every method. */
  static Set<String> fromGenerated(List<FileDescriptor> files, List<ServiceDescriptor> services) {
    Set<String> facts = new TreeSet<>();
    for (FileDescriptor file : files) {
      file.getEnumTypes().forEach(e -> enumFacts(e, facts));
      file.getMessageTypes().forEach(m -> messageFacts(m, facts));
    }
    for (ServiceDescriptor service : services) {
      for (io.grpc.MethodDescriptor<?, ?> method : service.getMethods()) {
        MethodDescriptor proto =
            ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor()).getMethodDescriptor();
        facts.add("rpc /" + method.getFullMethodName() + " " + method.getType() + " "
            + proto.getInputType().getFullName() + " " + proto.getOutputType().getFullName());
      }
    }
    return facts;
  }

  private static void messageFacts(Descriptor message, Set<String> facts) {
    facts.add("message " + message.getFullName());
    for (FieldDescriptor field : message.getFields()) {
      facts.add("field " + field.getFullName() + " " + field.getNumber() + " " + typeOf(field));
    }
    message.getEnumTypes().forEach(e -> enumFacts(e, facts));
    message.getNestedTypes().forEach(m -> messageFacts(m, facts));
  }

  private static void enumFacts(EnumDescriptor type, Set<String> facts) {
    facts.add("enum " + type.getFullName());
    for (EnumValueDescriptor value : type.getValues()) {
      facts.add("value " + type.getFullName() + "." + value.getName() + " " + value.getNumber());
    }
  }

  private static String typeOf(FieldDescriptor field) {
    String type = switch (field.getJavaType()) {
      case MESSAGE -> field.getMessageType().getFullName();
      case ENUM -> field.getEnumType().getFullName();
      default -> field.getType().name().toLowerCase(Locale.ROOT);
    };
    if (field.isRepeated()) {
      type += "[]";
    }
    if (field.getRealContainingOneof() != null) {
      type += "@" + field.getRealContainingOneof().getName();
    }
    return type;
  }

  /** Human-readable difference; empty when the contracts agree. */
  static List<String> diff(Set<String> expected, Set<String> actual) {
    List<String> problems = new ArrayList<>();
    for (String fact : expected) {
      if (!actual.contains(fact)) {
        problems.add("missing from generated code: " + fact);
      }
    }
    for (String fact : actual) {
      if (!expected.contains(fact)) {
        problems.add("not in etcd's contract: " + fact);
      }
    }
    return problems;
  }
}
