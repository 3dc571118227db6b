package io.etcdj.raft.simulation;

/** Where in the Ready cycle a crash hits; everything not yet done at that point is lost. */
enum Crash {
    /** After {@code ready()}: nothing of this Ready persisted or sent. */
    BEFORE_PERSIST,
    /** Persisted, nothing sent. */
    BEFORE_SEND,
    /** Persisted and sent, committed entries not applied. */
    BEFORE_APPLY,
    /** Applied, {@code advance()} not called. */
    BEFORE_ADVANCE
}
