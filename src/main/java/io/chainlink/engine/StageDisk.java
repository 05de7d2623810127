package io.chainlink.engine;

import com.github.dockerjava.api.model.Info;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What caps a stage's disk use on this engine: today nothing, and this says so, at startup and in
 * health, rather than pretend. A stage may fill {@code /job} and its container's writable layer
 * until the engine's disk is full.
 *
 * <p>Why, through the engine's API alone: {@code /job} is a volume of Docker's local driver,
 * which sizes only a tmpfs volume ({@code o=size=}), and a tmpfs volume's content lives only while
 * some container holds it mounted, so the next stage would find {@code /job} empty (it would also
 * be charged to the stage's memory). A block-backed volume needs a device made on the engine's
 * host. The writable layer takes {@code StorageOpt size=} only on overlay2 over xfs mounted with
 * {@code pquota}, on btrfs or on zfs; elsewhere the engine refuses the container.
 */
@Component
class StageDisk {

    private static final Logger log = LoggerFactory.getLogger(StageDisk.class);

    private static final String NOT_CAPPED = "not capped: ";
    private static final String JOB = NOT_CAPPED + "a volume of Docker's local driver, which sizes only tmpfs,"
            + " whose content would not outlast a stage";

    private final EngineConnection engine;
    private final EngineCalls calls;
    /** The engine's storage, once it answered: it changes only when the engine restarts. */
    private volatile Storage storage;

    record Storage(String driver, String backingFilesystem) {
    }

    StageDisk(EngineConnection engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sayWhatCapsItAtStartup() {
        Map<String, String> caps = caps();
        log.warn("stages' disk use is not capped on this engine; /job: {}; the writable layer: {}",
                caps.get("job").substring(NOT_CAPPED.length()), caps.get("writableLayer").substring(NOT_CAPPED.length()));
    }

    /** {@code job} and {@code writableLayer}, each saying whether it is capped and why not; for health. */
    Map<String, String> caps() {
        return Map.of("job", JOB, "writableLayer", writableLayer(storage()));
    }

    /** What the engine's storage driver could do for a container's writable layer. */
    static String writableLayer(Storage storage) {
        if (storage == null) {
            return NOT_CAPPED + "the engine's storage driver is not known yet (the engine did not answer)";
        }
        String on = storage.driver() + (storage.backingFilesystem() == null ? "" : " over " + storage.backingFilesystem());
        return switch (storage.driver()) {
            case "overlay2" -> "xfs".equals(storage.backingFilesystem())
                    ? NOT_CAPPED + on + " could size it if mounted with pquota; the service does not ask"
                    : NOT_CAPPED + on + " cannot size it (overlay2 needs xfs mounted with pquota)";
            case "btrfs", "zfs" -> NOT_CAPPED + on + " could size it; the service does not ask";
            default -> NOT_CAPPED + on + " cannot size it";
        };
    }

    private Storage storage() {
        if (storage == null) {
            try {
                Info info = calls.call("tell its storage driver", () -> engine.client().infoCmd().exec());
                storage = new Storage(info.getDriver(), backingFilesystem(info.getDriverStatuses()));
            } catch (EngineException e) {
                return null; // said so; asked again at the next look
            }
        }
        return storage;
    }

    private static String backingFilesystem(List<List<String>> statuses) {
        return statuses == null ? null : statuses.stream()
                .filter(status -> status.size() == 2 && "Backing Filesystem".equals(status.get(0)))
                .map(status -> status.get(1)).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
