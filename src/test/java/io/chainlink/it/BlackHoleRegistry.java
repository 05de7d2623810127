package io.chainlink.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A "registry" on loopback that accepts connections and never answers: the engine's pull from it hangs. */
final class BlackHoleRegistry implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    BlackHoleRegistry() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(() -> {
            try {
                while (true) {
                    held.add(socket.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
    }

    String image(String path) {
        return "127.0.0.1:" + socket.getLocalPort() + "/" + path;
    }

    /** Whether the engine has connected. */
    boolean reached() {
        return !held.isEmpty();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : held) {
            connection.close();
        }
    }
}
