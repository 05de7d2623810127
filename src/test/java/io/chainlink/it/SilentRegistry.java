package io.chainlink.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A "registry" on loopback that accepts connections and never answers: the engine's pull from it
 * hangs until someone gives up on it. Closing it closes every connection it holds.
 */
final class SilentRegistry implements AutoCloseable {

    final String host;
    private final ServerSocket listener;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private SilentRegistry(ServerSocket listener) {
        this.listener = listener;
        this.host = "127.0.0.1:" + listener.getLocalPort();
        Thread acceptor = new Thread(this::accept, "silent-registry");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SilentRegistry open() throws IOException {
        return new SilentRegistry(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** Whether the engine has connected, that is, a pull from here has begun. */
    boolean reached() {
        return !held.isEmpty();
    }

    private void accept() {
        try {
            while (true) {
                held.add(listener.accept());
            }
        } catch (IOException closed) {
            // the registry is closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
