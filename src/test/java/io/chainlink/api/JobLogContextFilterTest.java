package io.chainlink.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class JobLogContextFilterTest {

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
        assertThat(contextOf("/api/v1/jobs/42")).isEqualTo(Map.of("job", "42"));
        assertThat(contextOf("/api/v1/jobs/42/cancel")).isEqualTo(Map.of("job", "42"));
        assertThat(contextOf("/api/v1/jobs/42/results")).isEqualTo(Map.of("job", "42"));
        assertThat(contextOf("/api/v1/jobs/0042/stages/3/logs/stdout")).isEqualTo(Map.of("job", "42", "stage", "3"));
    }

    @Test
    void otherRequestsAndIdsNoJobCouldHaveLogWithout() throws Exception {
        assertThat(contextOf("/api/v1/jobs")).isEmpty();
        assertThat(contextOf("/api/v1/jobs/abc")).isEmpty();
        assertThat(contextOf("/api/v1/jobs/99999999999999999999")).isEmpty();
        assertThat(contextOf("/actuator/health")).isEmpty();
    }
}
