package io.chainlink.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** Past chainlink.max-queued waiting jobs, a submission is refused with 503 and stores nothing. */
@SpringBootTest(properties = {"chainlink.workers=0", "chainlink.max-queued=3"})
@AutoConfigureMockMvc
@DirtiesContext
class QueueBoundTest {

    private static final String CHAIN = "{\"stages\": [{\"image\": \"chainlink-test/absent:never\"}]}";

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aFullQueueRefusesWith503AndRetryAfterAndStoresNothing() {
        for (int i = 0; i < 3; i++) {
            assertThat(submit()).hasStatus(HttpStatus.ACCEPTED);
        }

        assertThat(submit()).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .hasHeader("Retry-After", "1")
                .bodyJson().extractingPath("$.detail").asString().contains("3 jobs are already waiting");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single()).isEqualTo(3);
    }

    private org.springframework.test.web.servlet.assertj.MvcTestResult submit() {
        return mvc.post().uri("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content(CHAIN).exchange();
    }
}
