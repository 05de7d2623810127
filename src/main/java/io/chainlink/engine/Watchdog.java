package io.chainlink.engine;

import java.io.Closeable;
import java.io.IOException;

/**
 * Gives up on a stream a thread is reading once a deadline passes: closing the engine's response
 * aborts its request, which closes the connection under the blocked read. A silent engine then
 * cannot hold a worker past a stage's timeout and grace.
 */
final class Watchdog {

    private Closeable current;
    private boolean fired;

    /** Watches {@code stream} from now on; closes it at once if the deadline has passed already. */
    synchronized void watch(Closeable stream) {
        current = stream;
        if (fired) {
            closeQuietly(stream);
        }
    }

    synchronized void fire() {
        fired = true;
        if (current != null) {
            closeQuietly(current);
        }
    }

    synchronized boolean fired() {
        return fired;
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException | RuntimeException e) {
            // it is being given up on
        }
    }
}
