package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/** Submissions stored in groups, on the real schema (in-memory H2): each once, each alone when it fails. */
class SubmissionWriterTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final StageSpec STAGE = new StageSpec("chainlink-test/absent:never", List.of("true"), "container", 64L << 20,
            false, false, 30_000, Map.of(), PullPolicy.NEVER, null, true, null, List.of(), null);

    private final TestDatabase db = new TestDatabase();
    private final GatedCommits commits = new GatedCommits(db);
    private final SubmissionWriter writer = new SubmissionWriter(db.repository, commits, db.durability);
    private final ExecutorService submitters = Executors.newFixedThreadPool(16);

    /** Counts commits, and can hold the first one until the test lets it go. */
    private static final class GatedCommits extends DataSourceTransactionManager {
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch firstHeld = new CountDownLatch(1);
        volatile CountDownLatch gate;

        GatedCommits(TestDatabase db) {
            super(db.dataSource);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            super.doCommit(status);
            if (count.incrementAndGet() == 1 && gate != null) {
                firstHeld.countDown();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @AfterEach
    void stop() {
        submitters.shutdownNow();
    }

    private CompletableFuture<JobRepository.Ids> submitAsync(String tenant) {
        return CompletableFuture.supplyAsync(() -> writer.store(tenant, List.of(STAGE, STAGE), NOW), submitters);
    }

    /** Holds the first submission's commit while {@code behind} submissions queue up behind it, then lets all go. */
    private List<CompletableFuture<JobRepository.Ids>> queuedBehindOne(List<String> behind) throws Exception {
        commits.gate = new CountDownLatch(1);
        CompletableFuture<JobRepository.Ids> first = submitAsync("first");
        assertThat(commits.firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<JobRepository.Ids>> queued = new ArrayList<>();
        behind.forEach(tenant -> queued.add(submitAsync(tenant)));
        Awaitility.await("every submitter waits for the writer").atMost(Duration.ofSeconds(10))
                .until(() -> waitingThreads() == behind.size() + 1); // and the first, held in its commit
        commits.gate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).external()).isNotBlank();
        return queued;
    }

    private long waitingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
                .filter(thread -> List.of(thread.getStackTrace()).stream()
                        .anyMatch(frame -> frame.getClassName().equals(SubmissionWriter.class.getName())))
                .count();
    }

    @Test
    void submissionsThatArriveDuringAWriteAreStoredTogetherInOneCommit() throws Exception {
        List<CompletableFuture<JobRepository.Ids>> queued = queuedBehindOne(List.of("a", "b", "c", "d", "e", "f", "g", "h"));

        for (int i = 0; i < queued.size(); i++) {
            Job stored = db.repository.find(queued.get(i).get(10, TimeUnit.SECONDS).internal()).orElseThrow();
            assertThat(stored.tenant()).isEqualTo(List.of("a", "b", "c", "d", "e", "f", "g", "h").get(i));
            assertThat(stored.stages()).hasSize(2);
        }
        assertThat(commits.count).as("the first submission's commit, then one for the eight").hasValue(2);
    }

    @Test
    void aSubmissionThatCannotBeStoredFailsAloneAndTheRestOfItsGroupIsStored() throws Exception {
        String tooLong = "x".repeat(10_000); // longer than the tenant column
        List<CompletableFuture<JobRepository.Ids>> queued = queuedBehindOne(List.of("a", "b", tooLong, "c"));

        assertThatThrownBy(() -> queued.get(2).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RuntimeException.class);
        for (int i : new int[] {0, 1, 3}) {
            assertThat(db.repository.find(queued.get(i).get(10, TimeUnit.SECONDS).internal())).isPresent();
        }
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single()).as("first, a, b, c").isEqualTo(4);
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM stages").query(Long.class).single()).isEqualTo(8);
    }

    @Test
    void manySubmittersAtOnceEachGetTheirOwnJobStoredOnce() throws Exception {
        List<CompletableFuture<JobRepository.Ids>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(submitAsync("t" + i));
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(db.repository.find(all.get(i).get(30, TimeUnit.SECONDS).internal()).orElseThrow().tenant()).isEqualTo("t" + i);
        }
        assertThat(all.stream().map(CompletableFuture::join).map(JobRepository.Ids::external).distinct()).hasSize(400);
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single()).isEqualTo(400);
    }

    @Test
    void aSubmitterInterruptedWhileItWaitsStillGetsItsJobAndKeepsItsInterrupt() throws Exception {
        commits.gate = new CountDownLatch(1);
        CompletableFuture<JobRepository.Ids> first = submitAsync("first");
        assertThat(commits.firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        CompletableFuture<JobRepository.Ids> behind = new CompletableFuture<>();
        Thread submitter = new Thread(() -> {
            try {
                behind.complete(writer.store("behind", List.of(STAGE), NOW));
            } catch (RuntimeException e) {
                behind.completeExceptionally(e);
            }
            interruptKept.complete(Thread.currentThread().isInterrupted());
        });
        submitter.start();
        Awaitility.await("the submitter waits behind the held commit").atMost(Duration.ofSeconds(10))
                .until(() -> waitingThreads() == 2);
        submitter.interrupt();
        // A waiter that spun on the flag would still get its job, but burn a core meanwhile.
        Awaitility.await("it takes the interrupt and sleeps again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> !submitter.isInterrupted()
                        && (submitter.getState() == Thread.State.WAITING || submitter.getState() == Thread.State.TIMED_WAITING));
        Awaitility.await("and stays asleep, not spinning on the flag").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10)).until(() -> !submitter.isInterrupted());
        commits.gate.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).external()).isNotBlank();
        assertThat(db.repository.find(behind.get(10, TimeUnit.SECONDS).internal()).orElseThrow().tenant()).isEqualTo("behind");
        assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whatIsStoredAlongsideAJobIsInItsTransactionWholeOrNotAtAll() {
        JobRepository.Ids kept = writer.storeAll("a", List.of(new NewJob(List.of(STAGE), job -> db.jdbc.sql("""
                INSERT INTO callbacks (job_id, url, secret, state, attempts, next_attempt_at)
                VALUES (:job, 'http://127.0.0.1/', '0123456789abcdef', 'PENDING', 0, CURRENT_TIMESTAMP)""")
                .param("job", job).update())), NOW).get(0);
        assertThat(db.jdbc.sql("SELECT job_id FROM callbacks").query(Long.class).list()).containsExactly(kept.internal());

        assertThatThrownBy(() -> writer.storeAll("b", List.of(new NewJob(List.of(STAGE), job -> {
            throw new IllegalStateException("beside the job");
        })), NOW)).hasMessage("beside the job");
        assertThat(db.jdbc.sql("SELECT tenant FROM jobs").query(String.class).list()).as("b rolled back, its stage too").containsExactly("a");
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM stages").query(Long.class).single()).isEqualTo(1);
    }
}
