package io.chainlink.job;

import static io.chainlink.support.StageBuilder.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.stage.StageSpec;
import io.chainlink.support.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue's reads stay index seeks however deep the queue: a claim and a page of the list read
 * about as many rows as they answer, not every queued job (H2's own count of the rows a statement
 * read, from EXPLAIN ANALYZE, on the real schema).
 */
class QueuePlansTest {

    private static final int QUEUED = 2_000;
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final StageSpec STAGE = stage().image("chainlink-test/absent:never").build();
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    private final TestDatabase db = new TestDatabase();

    @BeforeEach
    void aDeepQueue() {
        for (int i = 0; i < QUEUED; i++) {
            db.repository.insert(i % 2 == 0 ? "cs101" : "cs225", List.of(STAGE), NOW);
        }
    }

    /** How many rows H2 read to answer the statement. */
    private long rowsRead(String sql, Map<String, Object> params) {
        JdbcClient.StatementSpec explain = db.jdbc.sql("EXPLAIN ANALYZE " + sql);
        params.forEach(explain::param);
        String plan = explain.query(String.class).single();
        Matcher count = SCAN_COUNT.matcher(plan);
        assertThat(count.find()).as("a scan count in %s", plan).isTrue();
        return Long.parseLong(count.group(1));
    }

    @Test
    void aClaimReadsTheHeadsOfTheQueueNotAllOfIt() {
        assertThat(rowsRead(JobLifecycle.LAST_QUEUED_TENANT, Map.of())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(JobLifecycle.NEXT_QUEUED_TENANT, Map.of("last", ""))).isLessThanOrEqualTo(2);
        assertThat(rowsRead(JobLifecycle.OLDEST_QUEUED + " FETCH FIRST 8 ROWS ONLY", Map.of("tenant", "cs225"))).isLessThanOrEqualTo(9);
        assertThat(rowsRead(JobLifecycle.OLDEST_QUEUED + " FETCH FIRST 1 ROWS ONLY", Map.of("tenant", "cs101"))).isLessThanOrEqualTo(2);
    }

    @Test
    void theLastTenantsJobIsClaimedWhenTheTenantsBeforeHaveNoneQueued() {
        // Why the claim does not look past the last tenant: H2 would walk that tenant's whole queue.
        assertThat(rowsRead(JobLifecycle.NEXT_QUEUED_TENANT, Map.of("last", "cs225"))).isGreaterThanOrEqualTo(QUEUED / 2);
        db.jdbc.sql("UPDATE jobs SET status = 'RUNNING', owner = 'elsewhere' WHERE tenant = 'cs101'").update();

        var claimed = db.lifecycle.claimNext("me", NOW, NOW.plusSeconds(30));

        assertThat(claimed).isPresent();
        assertThat(claimed.get().tenant()).isEqualTo("cs225");
    }

    @Test
    void aPageOfTheListReadsAboutAPage() {
        for (boolean byStatus : new boolean[] {false, true}) {
            for (boolean byTenant : new boolean[] {false, true}) {
                Map<String, Object> params = new java.util.HashMap<>(Map.of("after", Long.MAX_VALUE, "limit", 20));
                if (byStatus) {
                    params.put("status", JobStatus.QUEUED.name());
                }
                if (byTenant) {
                    params.put("tenant", "cs101");
                }
                assertThat(rowsRead(JobRepository.listSql(byStatus, byTenant), params))
                        .as("by status %s, by tenant %s", byStatus, byTenant).isLessThanOrEqualTo(21);
            }
        }
    }

    @Test
    void theClaimStillTakesEachTenantsOldestJobFirst() {
        long oldestOfCs225 = db.jdbc.sql("SELECT MIN(id) FROM jobs WHERE tenant = 'cs225'").query(Long.class).single();
        List<Long> claimedIds = db.jdbc.sql(JobLifecycle.OLDEST_QUEUED + " FETCH FIRST 8 ROWS ONLY")
                .param("tenant", "cs225").query(Long.class).list();
        assertThat(claimedIds).hasSize(8).isSorted().first().isEqualTo(oldestOfCs225);
        assertThat(db.jdbc.sql(JobLifecycle.NEXT_QUEUED_TENANT).param("last", "").query(String.class).single()).isEqualTo("cs101");
        assertThat(db.jdbc.sql(JobLifecycle.LAST_QUEUED_TENANT).query(String.class).single()).isEqualTo("cs225");
    }
}
