package io.chainlink.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private final EngineConnection engine;

    public LeftoverSweeper(EngineConnection engine) {
        this.engine = engine;
    }

    /** Removes containers (forced: a running one is killed), then the volume they shared. */
    public void remove(Iterable<String> containers, String volume) {
        for (String container : containers) {
            try {
                engine.client().removeContainerCmd(container).withForce(true).exec();
            } catch (NotFoundException e) {
                // already gone
            } catch (RuntimeException e) {
                log.warn("could not remove container {}: {}", container, e.getMessage());
            }
        }
        if (volume != null) {
            removeVolume(volume);
        }
    }

    /** Removes whatever carries a job's labels in this store; false if the engine could not be asked. */
    public boolean removeJob(String store, long job) {
        try {
            DockerClient client = engine.client();
            Map<String, String> labels = Map.of(Labels.STORE, store, Labels.JOB, Long.toString(job));
            List<String> containers = new ArrayList<>();
            client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()
                    .forEach(c -> containers.add(c.getId()));
            remove(containers, null);
            var volumes = client.listVolumesCmd()
                    .withFilter("label", List.of(Labels.STORE + "=" + store, Labels.JOB + "=" + job))
                    .exec().getVolumes();
            if (volumes != null) {
                volumes.forEach(v -> removeVolume(v.getName()));
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("could not look for what job {} left behind: {}", job, e.getMessage());
            return false;
        }
    }

    /** The engine refuses (409) to remove a volume a dying container still holds: retry briefly. */
    private void removeVolume(String volume) {
        for (int attempt = 0; ; attempt++) {
            try {
                engine.client().removeVolumeCmd(volume).exec();
                return;
            } catch (NotFoundException e) {
                return;
            } catch (ConflictException e) {
                if (attempt == 20) {
                    log.warn("volume {} is still in use; left for the next sweep", volume);
                    return;
                }
                sleepQuietly(Math.min(50L << Math.min(attempt, 4), 1000));
            } catch (RuntimeException e) {
                log.warn("could not remove volume {}: {}", volume, e.getMessage());
                return;
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
