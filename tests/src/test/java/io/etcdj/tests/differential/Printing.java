package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;

/** Protobuf text for reports: one line, bytes escaped, so a diff is readable in a test log. */
final class Printing {

    private Printing() {
    }

    static String text(Message message) {
        return TextFormat.printer().emittingSingleLine(true).printToString(message).trim();
    }

    static String multiLine(Message message) {
        return TextFormat.printer().printToString(message);
    }
}
