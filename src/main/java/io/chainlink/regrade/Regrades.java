package io.chainlink.regrade;

import io.chainlink.auth.Caller;
import io.chainlink.auth.ForbiddenException;
import io.chainlink.engine.ImageDigest;
import io.chainlink.engine.ImageRef;
import io.chainlink.files.JobFiles;
import io.chainlink.job.Job;
import io.chainlink.job.JobNotFoundException;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobRepository.StoredStage;
import io.chainlink.job.JobService;
import io.chainlink.job.NewJob;
import io.chainlink.stage.StageSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reruns a job on exactly the images that ran it: its stages as they were submitted (defaults
 * resolved then, the environ merged in), each pinned to the image its container ran.
 *
 * <p>A stage whose image has a repo digest in its repository is pinned by reference,
 * {@code repository@sha256:...} in the repository's own spelling, so it can be pulled again on any
 * engine, and an image glob written for the repository ({@code registry.example.edu/cs101/*})
 * still allows it. An image built on the engine has no repo digest: its stage keeps its name and
 * runs the recorded image id ({@link StageSpec#imageId}), never pulled, which holds only while that
 * engine keeps the image (after that the rerun ends ERROR saying so); the policy judges it by the
 * name, as it did the first time. A stage that never ran takes the pin of an earlier stage of the
 * same image that did, else runs its image as asked. The files its submission placed in /job are
 * placed again.
 */
@Component
public class Regrades {

    private final JobService jobs;
    private final JobRepository repository;
    private final JobFiles files;

    public Regrades(JobService jobs, JobRepository repository, JobFiles files) {
        this.jobs = jobs;
        this.repository = repository;
        this.files = files;
    }

    /**
     * Queues the rerun as the caller's job, checked as any submission is (role, policy, quota).
     *
     * @throws JobNotFoundException   for a job the caller cannot see
     * @throws NotRunYetException     for a job none of whose stages has run (still queued)
     */
    public Job rerun(Caller caller, String id) {
        JobRepository.Owned original = repository.owned(id).filter(job -> caller.sees(job.tenant()))
                .orElseThrow(() -> new JobNotFoundException("job " + id));
        if (!caller.maySubmit()) {
            throw new ForbiddenException("client " + caller.tenant() + " may read jobs, not rerun them (role " + caller.role() + ")");
        }
        List<StoredStage> stages = repository.storedStages(original.id());
        if (stages.stream().allMatch(stage -> stage.imageDigest() == null)) {
            throw new NotRunYetException(jobs.find(caller, id));
        }
        // The same input files too: a regrade grades the same submission.
        return jobs.resubmit(caller, new NewJob(pinned(stages), id, rerun -> files.copyInput(original.id(), rerun)));
    }

    static List<StageSpec> pinned(List<StoredStage> stages) {
        Map<String, String> ran = new HashMap<>(); // what each image named resolved to, where a stage says
        stages.stream().filter(stage -> stage.imageDigest() != null)
                .forEach(stage -> ran.putIfAbsent(stage.spec().runs(), stage.imageDigest()));
        return stages.stream().map(stage -> {
            String digest = stage.imageDigest() != null ? stage.imageDigest() : ran.get(stage.spec().runs());
            return digest == null ? stage.spec() : pin(stage.spec(), digest);
        }).toList();
    }

    private static StageSpec pin(StageSpec spec, String digest) {
        if (ImageDigest.isImageId(digest)) {
            return spec.withImageId(digest);
        }
        String reference = ImageDigest.pinned(spec.image(), digest);
        ImageRef.parse(reference); // made of a valid reference's parts; refused here, never by the engine
        return spec.withImage(reference);
    }
}
