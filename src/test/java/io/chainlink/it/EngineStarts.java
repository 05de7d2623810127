package io.chainlink.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import io.chainlink.engine.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The engine's own record of the containers it starts for one store's jobs, by the job label each
 * carries, followed live from before the first submission: the engine keeps only its last 256
 * events for a later "since" read, fewer than a few dozen jobs make. What "ran exactly once"
 * means, whichever instance ran it.
 */
final class EngineStarts implements Closeable {

    private final Map<String, Integer> starts = new ConcurrentHashMap<>();
    private final ResultCallback.Adapter<Event> stream;

    private EngineStarts(DockerClient docker, String store, int stage) throws InterruptedException {
        CountDownLatch open = new CountDownLatch(1);
        stream = docker.eventsCmd()
                .withLabelFilter(Map.of(Labels.STORE, store, Labels.STAGE, Integer.toString(stage)))
                .withEventFilter("start")
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onStart(Closeable closeable) {
                        super.onStart(closeable);
                        open.countDown();
                    }

                    @Override
                    public void onNext(Event event) {
                        String job = event.getActor() == null || event.getActor().getAttributes() == null ? null
                                : event.getActor().getAttributes().get(Labels.JOB);
                        starts.merge(job == null ? "?" : job, 1, Integer::sum);
                    }
                });
        if (!open.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the engine's event stream did not open");
        }
    }

    /** Starts following the starts of this store's stage {@code stage}. */
    static EngineStarts follow(DockerClient docker, String store, int stage) throws InterruptedException {
        return new EngineStarts(docker, store, stage);
    }

    /** Starts so far, by job (the API's id); an event arrives a moment after its start. */
    Map<String, Integer> byJob() {
        return Map.copyOf(starts);
    }

    /** Waits until the events of {@code count} jobs have come, or {@code max}. */
    Map<String, Integer> awaitJobs(int count, Duration max) {
        try {
            // Events trail their starts by milliseconds. Past max the caller's assertions say what is missing.
            Awaitility.await().atMost(max).pollInterval(Duration.ofMillis(50)).until(() -> starts.size() >= count);
        } catch (ConditionTimeoutException e) {
            // fall through: the starts seen so far
        }
        return byJob();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
