package io.chainlink.follow;

/**
 * Server-Sent Events as the HTML standard frames them: fields {@code name: value}, one a line,
 * an empty line ending the event. Lines here hold no CR or LF but as {@link LogLines} leaves them
 * (a newline within: a further {@code data:} line, which the client joins with a newline).
 */
final class SseFrames {

    private SseFrames() {
    }

    /** A message event carrying {@code line}. */
    static String data(String line) {
        return "data: " + line.replace("\n", "\ndata: ") + "\n\n";
    }

    /** A named event; its data may be empty, and it is still dispatched (a data field is present). */
    static String event(String name, String data) {
        return "event: " + name + "\n" + data(data);
    }
}
