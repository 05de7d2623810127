package io.chainlink.engine;

import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Carries the caller's log context (the job and stage a runner works on, in the MDC) to a task
 * that runs on another thread, so that the pull, removal, timeout and create-ahead threads' lines name their job.
 */
public final class LogContext {

    private LogContext() {
    }

    public static Runnable carried(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            set(context);
            try {
                task.run();
            } finally {
                set(own);
            }
        };
    }

    public static <T> Callable<T> carried(Callable<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            set(context);
            try {
                return task.call();
            } finally {
                set(own);
            }
        };
    }

    private static void set(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
