package io.etcdj.tests.framework;

/** What a finished command printed and returned. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    /** stdout and stderr together, for assertions on messages whichever stream they went to. */
    public String output() {
        return stdout + stderr;
    }
}
