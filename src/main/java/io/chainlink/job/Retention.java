package io.chainlink.job;

import io.chainlink.config.ChainlinkProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes ended jobs, with their stages, stage details and logs, once they ended longer than
 * {@code chainlink.retention} ago (0: never). In the background, oldest first, in batches of
 * {@link #BATCH} jobs a transaction, so that no transaction grows with the backlog and
 * submissions, which only insert, never wait on one. Jobs that have not ended are never touched:
 * only an ended job has a finish time, and an ended job never moves again ({@link JobStatus}).
 *
 * <p>Every instance may sweep; two sweeping at once delete the same rows, and the later finds
 * them gone. What a deleted job left on the engine, the engine sweep removes as a job it no longer knows.
 */
@Component
public class Retention implements SmartLifecycle {

    static final int BATCH = 500;
    /** A tenth of the retention, so a job outlives it by a tenth at most; within these bounds. */
    static final Duration SHORTEST_PERIOD = Duration.ofSeconds(1);
    static final Duration LONGEST_PERIOD = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final List<String> NOT_ENDED = Arrays.stream(JobStatus.values())
            .filter(status -> !status.isTerminal()).map(Enum::name).toList();

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Duration retention;
    private final Clock clock;
    private volatile ScheduledExecutorService sweeper;
    private volatile boolean stopping;

    public Retention(JdbcClient jdbc, PlatformTransactionManager transactions, ChainlinkProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.retention = properties.retention();
        this.clock = clock;
    }

    /** How often ended jobs are looked for. */
    static Duration period(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        return tenth.compareTo(SHORTEST_PERIOD) < 0 ? SHORTEST_PERIOD
                : tenth.compareTo(LONGEST_PERIOD) > 0 ? LONGEST_PERIOD : tenth;
    }

    @Override
    public synchronized void start() {
        if (retention.isZero()) {
            log.info("chainlink.retention is 0: every job is kept");
            return;
        }
        stopping = false;
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chainlink-retention");
            thread.setDaemon(true);
            return thread;
        });
        long period = period(retention).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("could not delete ended jobs; trying again later: {}", e.getMessage());
        }
    }

    /** Deletes, batch by batch, every job that ended before the retention; returns how many. */
    int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        int batch;
        do {
            batch = deleteBatch(cutoff);
            deleted += batch;
        } while (batch == BATCH && !stopping);
        if (deleted > 0) {
            log.info("deleted {} jobs that ended before {} (chainlink.retention {})", deleted, cutoff, retention);
        }
        return deleted;
    }

    /** The {@link #BATCH} oldest jobs that ended before {@code cutoff}, all of their rows in one transaction. */
    int deleteBatch(Instant cutoff) {
        Integer deleted = transaction.execute(tx -> {
            // "NOT IN" the statuses that have not ended: with "IN" the ended ones, H2 walks jobs_status_id
            // through every ended job instead of jobs_finished_at through the expired ones.
            List<Long> jobs = jdbc.sql("""
                            SELECT id FROM jobs WHERE finished_at < :cutoff AND status NOT IN (:live)
                            ORDER BY finished_at FETCH FIRST :batch ROWS ONLY""")
                    .param("cutoff", cutoff.atOffset(ZoneOffset.UTC)).param("live", NOT_ENDED).param("batch", BATCH)
                    .query(Long.class).list();
            if (jobs.isEmpty()) {
                return 0;
            }
            // Children first: a log and a stage's details refer to their stage, a stage to its job.
            for (String table : List.of("stage_logs", "stage_details", "stages")) {
                jdbc.sql("DELETE FROM " + table + " WHERE job_id IN (:jobs)").param("jobs", jobs).update();
            }
            return jdbc.sql("DELETE FROM jobs WHERE id IN (:jobs)").param("jobs", jobs).update();
        });
        return deleted == null ? 0 : deleted;
    }

    /** Lets a batch under way finish (an interrupt could land in H2's file I/O), and starts no other. */
    @Override
    public synchronized void stop() {
        stopping = true;
        if (sweeper != null) {
            sweeper.shutdown();
            try {
                sweeper.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sweeper = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sweeper != null;
    }
}
