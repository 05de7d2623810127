package io.chainlink.job;

import io.chainlink.database.Database;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes what a client is told, or is about to see, to the store's file: a job answered 202 and a
 * cancel answered 202 before the answer, each status change right after its commit, so that they
 * survive the process being killed (no fsync: they survive the process, not the machine).
 *
 * <p>H2 keeps no redo log: a commit reaches its file with the next background store, up to
 * {@code WRITE_DELAY} later (set, and why, in application.properties), and is lost with the process
 * meanwhile (CrashRecoveryTest found jobs answered 202 gone, and a RUNNING stage back at PENDING).
 * A {@code CHECKPOINT} stores every commit so far at once.
 *
 * <p>Only those writes, not every commit: storing each commit as it returns ({@code WRITE_DELAY=0})
 * also stored each chunk of a flooding stage's output twice (written, then pushed out of its tail),
 * which took about 100 MB of heap and most of a core at 60 MB/s (bench P6).
 *
 * <p>On any other database a commit is durable when it returns, and this does nothing.
 */
@Component
public class Durability {

    private static final Object PENDING = new Object();

    private final JdbcClient jdbc;
    private final boolean needed;

    @Autowired
    public Durability(JdbcClient jdbc, Database database) {
        this(jdbc, database.storesCommitsLater());
    }

    /** For tests: whether it writes, without a database to tell. */
    Durability(JdbcClient jdbc, boolean needed) {
        this.jdbc = jdbc;
        this.needed = needed;
    }

    /** Stores every commit so far in the file, now. */
    public void flush() {
        if (needed) {
            jdbc.sql("CHECKPOINT").update();
        }
    }

    /**
     * Has what the caller wrote stored in the file once it is committed: at once for a write
     * outside a transaction, after the commit (once per transaction) for one inside.
     */
    public void flushOnceCommitted() {
        if (!needed) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            flush();
        } else if (!TransactionSynchronizationManager.hasResource(this)) {
            TransactionSynchronizationManager.bindResource(this, PENDING);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    // Its failure reaches the caller: the transaction is committed, but not yet answered.
                    flush();
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(Durability.this);
                }
            });
        }
    }
}
