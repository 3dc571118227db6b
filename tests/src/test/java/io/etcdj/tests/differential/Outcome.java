package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Objects;

/**
 * What one server answered to one request: a response message, or a gRPC error (code and
 * message, which etcd's clients match on). Exactly one of the two is present.
 */
public record Outcome(Message response, Status.Code code, String errorMessage) {

    public Outcome {
        if ((response == null) == (code == null)) {
            throw new IllegalArgumentException("exactly one of response and error code must be set");
        }
    }

    public static Outcome ok(Message response) {
        return new Outcome(Objects.requireNonNull(response), null, null);
    }

    public static Outcome error(Status.Code code, String message) {
        return new Outcome(null, Objects.requireNonNull(code), message == null ? "" : message);
    }

    public static Outcome of(StatusRuntimeException e) {
        return error(e.getStatus().getCode(), e.getStatus().getDescription());
    }

    public boolean isError() {
        return code != null;
    }

    @Override
    public String toString() {
        if (isError()) {
            return "error " + code + ": " + errorMessage;
        }
        return response.getClass().getSimpleName() + " " + Printing.text(response);
    }
}
