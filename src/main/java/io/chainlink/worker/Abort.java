package io.chainlink.worker;

import io.chainlink.engine.ContainerEngine;

/** A worker's handle on the job it runs, so that a shutdown can stop it: flag it, kill its container. */
final class Abort {

    private volatile boolean requested;
    private volatile String container;

    boolean requested() {
        return requested;
    }

    void running(String container) {
        this.container = container;
    }

    void request(ContainerEngine engine) {
        requested = true;
        String current = container;
        if (current != null) {
            engine.kill(current);
        }
    }
}
