package io.chainlink.engine;

import com.github.dockerjava.api.exception.DockerException;
import io.chainlink.config.ChainlinkProperties;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every request-and-answer call to the engine, with a deadline. The engine can hang (runc stuck
 * in a container's start holds the start call and every later call on that container), and the
 * HTTP client's response timeout is not applied on a unix socket, so each call runs on a thread
 * of a bounded pool and the caller waits at most its deadline. Past it the call's thread is
 * interrupted, which closes the socket channel it is blocked on and frees it.
 *
 * <p>Calls are translated into the service's terms once, here: the engine's refusal becomes an
 * {@link EngineException} in its own words, no answer an {@link EngineTimeoutException}, a
 * connection that cannot be made or broke an {@link EngineUnavailableException}.
 */
@Component
public class EngineCalls implements AutoCloseable {

    private final Duration deadline;
    private final ThreadPoolExecutor pool;

    public EngineCalls(ChainlinkProperties properties) {
        this.deadline = properties.engineTimeout();
        // Control calls of every worker and of the sweeps; hung calls hold threads until their
        // deadline, so the pool is bounded and a call beyond it fails at once instead of queueing.
        int threads = 2 * Math.max(1, properties.workers()) + 8;
        this.pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "chainlink-engine-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The deadline of one call, which is also the grace a stage gets past its timeout. */
    public Duration deadline() {
        return deadline;
    }

    public <T> T call(String what, Supplier<T> action) {
        Future<T> future;
        try {
            future = pool.submit(action::get);
        } catch (RejectedExecutionException e) {
            throw new EngineTimeoutException("the engine could not " + what + ": "
                    + pool.getMaximumPoolSize() + " calls to it are already waiting for answers");
        }
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EngineTimeoutException("the engine did not answer within " + deadline.toSeconds()
                    + " s when asked to " + what);
        } catch (ExecutionException e) {
            throw translate(what, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while asking the engine to " + what);
        }
    }

    public void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    static EngineException translate(String what, Throwable failure) {
        if (failure instanceof EngineException e) {
            return e;
        }
        if (failure instanceof DockerException e) {
            return new EngineException("the engine could not " + what + ": " + EngineErrors.reason(e), e);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return new EngineTimeoutException("the engine did not answer when asked to " + what);
            }
            if (cause instanceof IOException) {
                return new EngineUnavailableException("the engine could not be reached to " + what + ": " + cause, failure);
            }
        }
        return new EngineException("the engine could not " + what + ": " + failure.getMessage(), failure);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
