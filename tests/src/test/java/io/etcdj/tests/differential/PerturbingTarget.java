package io.etcdj.tests.differential;

import com.google.protobuf.Message;
import java.util.function.UnaryOperator;

/**
 * A negative control: forwards to a real target but passes its {@code n}-th answer through a
 * perturbation, as a server with one bug would. A differential run against it must report that
 * exchange, or the harness cannot see bugs.
 */
final class PerturbingTarget implements KvTarget {

    private final KvTarget delegate;
    private final int perturbedCall;
    private final UnaryOperator<Outcome> perturbation;
    private int calls;

    PerturbingTarget(KvTarget delegate, int perturbedCall, UnaryOperator<Outcome> perturbation) {
        this.delegate = delegate;
        this.perturbedCall = perturbedCall;
        this.perturbation = perturbation;
    }

    @Override
    public String name() {
        return "perturbed-" + delegate.name();
    }

    @Override
    public Outcome call(Message request) {
        Outcome outcome = delegate.call(request);
        return calls++ == perturbedCall ? perturbation.apply(outcome) : outcome;
    }

    @Override
    public void killAndRestart() {
        delegate.killAndRestart();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
