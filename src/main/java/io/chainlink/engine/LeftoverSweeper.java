package io.chainlink.engine;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Removes what jobs made on the engine: a finished job's containers and volume, and, found by
 * label, whatever a crashed instance or an engine outage left behind (as testcontainers'
 * ResourceReaper does, apart from the code that creates containers). Never throws: what it could
 * not remove is logged, and the next sweep tries again.
 */
@Component
public class LeftoverSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeftoverSweeper.class);

    static final int PENDING = 1000;

    private final EngineConnection engine;
    private final EngineCalls calls;
    private final ThreadPoolExecutor removals = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(PENDING), runnable -> {
                Thread thread = new Thread(runnable, "chainlink-removals");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    public LeftoverSweeper(EngineConnection engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    /** Lets waiting removals finish for a few seconds; what is left then, the next start's sweep removes. */
    @PreDestroy
    void drain() throws InterruptedException {
        removals.shutdown();
        removals.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Has a finished job's containers and volume removed on a thread of its own, so that neither
     * the job's end nor its worker waits for it (a removal of a container whose runc hangs waits
     * out a whole call deadline). Past {@link #PENDING} waiting removals the caller does it.
     */
    public void removeLater(List<String> containers, String volume) {
        removals.execute(LogContext.carried(() -> remove(containers, volume)));
    }

    /** Removes containers (forced: a running one is killed), then the volume they shared, if they all went. */
    public void remove(Iterable<String> containers, String volume) {
        boolean all = true;
        for (String container : containers) {
            try {
                calls.run("remove container " + container,
                        () -> engine.client().removeContainerCmd(container).withForce(true).exec());
            } catch (EngineException e) {
                if (!(e.getCause() instanceof NotFoundException)) {
                    log.warn("could not remove container {}; left for the next sweep: {}", container, e.getMessage());
                    all = false;
                }
            }
        }
        if (volume != null && all) {
            removeVolume(volume);
        }
    }

    /** Removes whatever carries a job's labels in this store; false if the engine could not be asked. */
    public boolean removeJob(String store, String job) {
        try {
            Map<String, String> labels = Map.of(Labels.STORE, store, Labels.JOB, job);
            List<String> containers = calls.call("list the job's containers",
                    () -> engine.client().listContainersCmd().withShowAll(true).withLabelFilter(labels).exec())
                    .stream().map(Container::getId).toList();
            remove(containers, null);
            volumes(List.of(Labels.STORE + "=" + store, Labels.JOB + "=" + job)).keySet().forEach(this::removeVolume);
            return true;
        } catch (EngineException e) {
            log.warn("could not look for what job {} left behind: {}", job, e.getMessage());
            return false;
        }
    }

    /**
     * Removes every container and volume of this store whose job {@code removable} names (of the
     * jobs found): those that ended, or that the store does not know. False if the engine could not
     * be asked.
     */
    public boolean sweep(String store, UnaryOperator<List<String>> removable) {
        try {
            List<Container> containers = calls.call("list the service's containers", () -> engine.client().listContainersCmd()
                    .withShowAll(true).withLabelFilter(Map.of(Labels.STORE, store)).exec());
            Map<String, String> volumes = volumes(List.of(Labels.STORE + "=" + store));
            Set<String> jobs = new HashSet<>(volumes.values());
            containers.forEach(c -> jobOf(c.getLabels()).ifPresent(jobs::add));
            Set<String> gone = new HashSet<>(removable.apply(new ArrayList<>(jobs)));
            if (gone.isEmpty()) {
                return true;
            }
            log.info("removing what jobs {} left on the engine", gone);
            remove(containers.stream().filter(c -> jobOf(c.getLabels()).map(gone::contains).orElse(false))
                    .map(Container::getId).toList(), null);
            volumes.forEach((volume, job) -> {
                if (gone.contains(job)) {
                    removeVolume(volume);
                }
            });
            return true;
        } catch (EngineException e) {
            log.warn("could not sweep the engine for leftovers: {}", e.getMessage());
            return false;
        }
    }

    /** Volumes with all of these labels, by name, with their job. */
    private Map<String, String> volumes(Collection<String> labels) {
        var found = calls.call("list the service's volumes",
                () -> engine.client().listVolumesCmd().withFilter("label", List.copyOf(labels)).exec().getVolumes());
        Map<String, String> volumes = new java.util.HashMap<>();
        if (found != null) {
            found.forEach(v -> jobOf(v.getLabels()).ifPresent(job -> volumes.put(v.getName(), job)));
        }
        return volumes;
    }

    /** The job a container or volume is labelled with, as the label says it: the store judges it. */
    private static java.util.Optional<String> jobOf(Map<String, String> labels) {
        String job = labels == null ? null : labels.get(Labels.JOB);
        return job == null || job.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(job);
    }

    /** The engine refuses (409) to remove a volume a dying container still holds: retry briefly. */
    private void removeVolume(String volume) {
        for (int attempt = 0; ; attempt++) {
            try {
                calls.run("remove volume " + volume, () -> engine.client().removeVolumeCmd(volume).exec());
                return;
            } catch (EngineException e) {
                if (e.getCause() instanceof NotFoundException) {
                    return;
                }
                if (!(e.getCause() instanceof ConflictException) || attempt == 20) {
                    log.warn("could not remove volume {}; left for the next sweep: {}", volume, e.getMessage());
                    return;
                }
                sleepQuietly(Math.min(50L << Math.min(attempt, 4), 1000));
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
