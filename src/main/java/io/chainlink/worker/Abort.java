package io.chainlink.worker;

import io.chainlink.engine.ContainerEngine;

/** A handle on one running job, so that a shutdown or a cancel can stop it: say why, kill its container. */
final class Abort {

    enum Reason { SHUTDOWN, CANCEL }

    private volatile Reason reason;
    private volatile String container;

    boolean requested() {
        return reason != null;
    }

    Reason reason() {
        return reason;
    }

    void running(String container) {
        this.container = container;
    }

    /** The first reason stands: a cancel that comes during a shutdown's kill does not change why the job ended. */
    synchronized void request(Reason why, ContainerEngine engine) {
        if (reason == null) {
            reason = why;
        }
        String current = container;
        if (current != null) {
            engine.kill(current);
        }
    }
}
