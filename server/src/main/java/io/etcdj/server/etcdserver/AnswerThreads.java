package io.etcdj.server.etcdserver;

import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.Executor;

/**
 * Where the server finishes a request's answer once the raft-loop or apply thread has produced
 * it: never on those two threads (a caller's continuation must not hold up raft or apply), and
 * preferably without a thread wake-up that the answer does not need.
 *
 * <p>A request that arrived on an Armeria event loop (every gRPC call: unary services run there)
 * is answered on that same event loop: the gRPC response has to be written there anyway, so the
 * apply thread's single hand-off both finishes the answer and writes it. Any other caller (tests,
 * server-internal callers on their own threads) gets {@code fallback}. Measured on a put with one
 * client: the former hop to a virtual thread and then to the event loop cost two wake-ups
 * (carrier thread, then the event loop once for the message and once for the trailers); this
 * costs one. Continuations on the event loop must not block, as everywhere in Armeria.
 */
final class AnswerThreads {

    private AnswerThreads() {
    }

    /** The current request's event loop when called on it, else {@code fallback}. */
    static Executor current(Executor fallback) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null && ctx.eventLoop().inEventLoop()) {
            return ctx.eventLoop();
        }
        return fallback;
    }

    /** True when called on the current request's event loop. */
    static boolean onEventLoop() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx != null && ctx.eventLoop().inEventLoop();
    }
}
