package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        thread.shutdownNow();
        MDC.clear();
    }

    @Test
    void aTaskOnAnotherThreadLogsWithTheCallersJobAndStageThenTheThreadHasItsOwnAgain() throws Exception {
        thread.submit(() -> MDC.put("own", "kept")).get();
        MDC.put("job", "7");
        MDC.put("stage", "1");

        Map<String, String> during = thread.submit(LogContext.carried(() -> MDC.getCopyOfContextMap())).get();
        AtomicReference<Map<String, String>> duringRunnable = new AtomicReference<>();
        thread.submit(LogContext.carried(() -> duringRunnable.set(MDC.getCopyOfContextMap()))).get();

        assertThat(during).isEqualTo(Map.of("job", "7", "stage", "1"));
        assertThat(duringRunnable.get()).isEqualTo(during);
        assertThat(thread.submit(() -> MDC.getCopyOfContextMap()).get()).isEqualTo(Map.of("own", "kept"));
    }

    @Test
    void aCallerWithoutContextLeavesTheTaskWithout() throws Exception {
        thread.submit(() -> MDC.put("job", "stale")).get();

        assertThat(thread.submit(LogContext.carried(() -> MDC.get("job"))).get()).isNull();
        assertThat(thread.submit(() -> MDC.get("job")).get()).isEqualTo("stale");
    }
}
