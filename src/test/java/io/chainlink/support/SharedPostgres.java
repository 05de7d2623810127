package io.chainlink.support;

import java.io.IOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One private PostgreSQL cluster for the whole test JVM (initdb and a start take seconds), each
 * test context on a database of its own in it, so that contexts never share a queue unless a
 * test means them to. Stopped and removed when the JVM exits.
 */
public final class SharedPostgres {

    private static PostgresServer server;

    private SharedPostgres() {
    }

    public static synchronized PostgresServer server() {
        if (server == null) {
            try {
                server = PostgresServer.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test's PostgreSQL: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            PostgresServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "chainlink-test-postgres-stop"));
        }
        return server;
    }

    /** Points a test context at a new, empty database: only what an operator sets, the URL, user and password. */
    public static void newDatabase(DynamicPropertyRegistry registry) {
        String url = server().createDatabase();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
        registry.add("spring.datasource.password", () -> PostgresServer.PASSWORD);
    }
}
