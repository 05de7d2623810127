package io.chainlink.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class JobLogContextFilterTest {

    private static final String ID = "3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23";

    /** The MDC the request was handled with, and that it is clean after. */
    private static Map<String, String> contextOf(String path) throws Exception {
        Map<String, String> seen = new HashMap<>();
        new JobLogContextFilter().doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(),
                (request, response) -> {
                    Map<String, String> context = MDC.getCopyOfContextMap();
                    if (context != null) {
                        seen.putAll(context);
                    }
                });
        assertThat(MDC.get("job")).isNull();
        assertThat(MDC.get("stage")).isNull();
        return seen;
    }

    @Test
    void aRequestAboutAJobLogsWithItsIdAndStage() throws Exception {
        assertThat(contextOf("/api/v1/jobs/" + ID)).isEqualTo(Map.of("job", ID));
        assertThat(contextOf("/api/v1/jobs/" + ID + "/cancel")).isEqualTo(Map.of("job", ID));
        assertThat(contextOf("/api/v1/jobs/" + ID + "/results")).isEqualTo(Map.of("job", ID));
        assertThat(contextOf("/api/v1/jobs/" + ID + "/stages/0003/logs/stdout")).isEqualTo(Map.of("job", ID, "stage", "3"));
    }

    @Test
    void otherRequestsAndIdsNoJobCouldHaveLogWithout() throws Exception {
        assertThat(contextOf("/api/v1/jobs")).isEmpty();
        assertThat(contextOf("/api/v1/jobs/abc")).isEmpty();
        assertThat(contextOf("/api/v1/jobs/42")).isEmpty();
        assertThat(contextOf("/api/v1/jobs/" + ID.toUpperCase())).isEmpty();
        assertThat(contextOf("/api/v1/jobs/99999999999999999999")).isEmpty();
        assertThat(contextOf("/actuator/health")).isEmpty();
    }
}
