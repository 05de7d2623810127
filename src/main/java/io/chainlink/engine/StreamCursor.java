package io.chainlink.engine;

import java.util.Arrays;

/**
 * Where one stream of a container's log stands: the newest entry taken, so that an entry the
 * engine sends again is told from one not seen yet.
 *
 * <p>Entries of one stream carry rising timestamps, with one exception, seen on 20.10: the engine
 * splits a line longer than 16 KiB into entries of 16 KiB that all carry the line's timestamp,
 * and only the last of them ends with a newline. So an entry newer than the newest is new; an
 * older one is a repeat; one of the same timestamp is the line's next part only while that line
 * is open (the last part taken did not end it), and then only once the parts taken are passed,
 * if the engine is sending the line again from its start. Not told apart: the engine sending an
 * open line again from one of its later parts, with nothing older before it; that needs a line
 * over 16 KiB cut by a rotation the follow then reads again, and has not been seen.
 */
final class StreamCursor {

    private byte[] newest;
    /** Entries taken with the newest timestamp: the parts of its line so far. */
    private int parts;
    /** The last entry taken did not end its line. */
    private boolean open;
    /** While the engine sends earlier entries again: the newest line's parts seen again; else -1. */
    private int partsAgain = -1;

    /** Whether the entry stamped {@code timestamp} is new; if so it is now the newest. */
    boolean take(byte[] timestamp) {
        int order = newest == null ? 1 : Arrays.compare(timestamp, newest);
        if (order > 0) {
            newest = timestamp;
            parts = 1;
            partsAgain = -1;
            return true;
        }
        if (order < 0) {
            partsAgain = 0; // the engine went back: what follows up to the newest line was seen
            return false;
        }
        if (!open) {
            return false; // a line that has ended gets no more parts
        }
        if (partsAgain >= 0 && ++partsAgain <= parts) {
            return false;
        }
        partsAgain = -1;
        parts++;
        return true;
    }

    /** The last byte of the entry just taken. */
    void ended(byte last) {
        open = last != '\n';
    }

    /** A read from earlier in the log begins: the newest line's parts will come again first. */
    void rewind() {
        partsAgain = 0;
    }
}
