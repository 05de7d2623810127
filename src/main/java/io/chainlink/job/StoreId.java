package io.chainlink.job;

import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The identity of the database the jobs live in: made once, by the first instance that asks, and
 * shared by every instance on the same database. What the service creates on the engine carries
 * it, so that a sweep judges only containers whose jobs it can look up.
 */
@Component
public class StoreId {

    private final JdbcClient jdbc;
    private volatile String value;

    public StoreId(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public String value() {
        String current = value;
        if (current == null) {
            current = read().orElseGet(this::create);
            value = current;
        }
        return current;
    }

    private java.util.Optional<String> read() {
        return jdbc.sql("SELECT id FROM store WHERE singleton = 1").query(String.class).optional();
    }

    private String create() {
        try {
            jdbc.sql("INSERT INTO store (singleton, id) VALUES (1, :id)").param("id", UUID.randomUUID().toString()).update();
        } catch (DuplicateKeyException e) {
            // another instance made it first: theirs is the store's
        }
        return read().orElseThrow();
    }
}
