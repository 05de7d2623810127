package io.chainlink.api;

import io.chainlink.auth.Caller;
import io.chainlink.callback.Callbacks;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.follow.LogFollowers;
import io.chainlink.files.JobFiles;
import io.chainlink.files.JobInput;
import io.chainlink.job.Job;
import io.chainlink.job.JobService;
import io.chainlink.job.NewJob;
import io.chainlink.job.JobWaits;
import io.chainlink.job.JobStatus;
import io.chainlink.job.LogStream;
import io.chainlink.job.StageResult;
import io.chainlink.regrade.Regrades;
import io.chainlink.stage.StageSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.springframework.http.HttpHeaders;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

@Tag(name = "jobs", description = "Queue chains of containers, follow them, read their results and logs, cancel them")
@RestController
@RequestMapping("/api/v1/jobs")
public class JobController {

    /** Most ids in one roster read: a page's worth, as {@code limit} allows. */
    static final int MAX_IDS = 500;

    private final JobService jobs;
    private final ChainlinkProperties properties;
    private final LogFollowers followers;
    private final JobFiles files;
    private final Regrades regrades;
    private final Callbacks callbacks;

    public JobController(JobService jobs, ChainlinkProperties properties, LogFollowers followers, JobFiles files, Regrades regrades,
                         Callbacks callbacks) {
        this.jobs = jobs;
        this.properties = properties;
        this.followers = followers;
        this.files = files;
        this.regrades = regrades;
        this.callbacks = callbacks;
    }

    @Operation(operationId = "submitJob", summary = "Queue a chain; it runs later, on a worker",
            description = "With wait=N, answers 200 once the job has ended, if it ends within N seconds; otherwise 202 as without it."
                    + " Its files are placed in /job before the first stage runs. For larger inputs the same path takes"
                    + " multipart/form-data: a part chain (this body, application/json) and a part files (a tar of regular files"
                    + " and directories), at most chainlink.files.max-upload in all.")
    @ApiResponse(responseCode = "200", description = "Ended within wait= seconds; Location names the job",
            headers = @Header(name = "Location", description = "The job's path", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Job.class)))
    @ApiResponse(responseCode = "202", description = "Queued; Location names the job",
            headers = @Header(name = "Location", description = "The job's path", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Job.class)))
    @ApiResponse(responseCode = "413", ref = OpenApiConfiguration.CONTENT_TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = OpenApiConfiguration.UNSUPPORTED_MEDIA_TYPE)
    @ApiResponse(responseCode = "503", ref = OpenApiConfiguration.QUEUE_FULL)
    @ApiResponse(responseCode = "429", ref = OpenApiConfiguration.QUOTA_EXCEEDED)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public Object submit(@Parameter(hidden = true) Caller caller, @Valid @RequestBody JobSubmission submission,
                         @Parameter(description = "Seconds to wait for the job to end before answering (at most 60)")
                         @RequestParam(defaultValue = "0") @Min(0) @Max(60) int wait) {
        return submit(caller, submission, files.fromJson(submission.files()).keepingOutput(submission.keepsFiles()), wait);
    }

    /**
     * The same submission as a form, for inputs larger than a JSON body: a part {@code chain} (the
     * submission) and a part {@code files} (a tar). Left out of the document: OpenAPI has one
     * operation per path and method, and with both bodies in it the generated clients' submitJob
     * would take a form; submitJob's description and the README say how to send it.
     */
    @Operation(hidden = true)
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Object submitWithFiles(@Parameter(hidden = true) Caller caller,
                                  @Valid @RequestPart("chain") JobSubmission chain,
                                  @RequestPart("files") MultipartFile tar,
                                  @RequestParam(defaultValue = "0") @Min(0) @Max(60) int wait) {
        return submit(caller, chain, files.fromForm(chain.files(), tar).keepingOutput(chain.keepsFiles()), wait);
    }

    private Object submit(Caller caller, JobSubmission submission, JobInput input, int wait) {
        // Checked before the job is stored: a refused callback stores nothing.
        LongConsumer callback = callbacks.accept(submission.callback());
        Job job = jobs.submit(caller, submission.toSpecs(properties.defaults()), internal -> {
            files.storeInput(internal, input);
            callback.accept(internal);
        });
        if (submission.callback() != null) {
            job = job.withCallback(Job.Callback.notYetSent());
        }
        URI location = URI.create("/api/v1/jobs/" + job.id());
        if (wait == 0) {
            return ResponseEntity.accepted().location(location).body(job);
        }
        return whenEnded(caller, job.id(), wait, ended -> ResponseEntity.ok().location(location).body(ended),
                now -> ResponseEntity.accepted().location(location).body(now));
    }

    /**
     * An answer made when the job ends, or after {@code wait} seconds as it stands then, holding no
     * request thread meanwhile; at once, as it stands, when the service holds all the waiters it may.
     */
    private Object whenEnded(Caller caller, String id, int wait, Function<Job, ResponseEntity<Job>> ended,
                             Function<Job, ResponseEntity<Job>> notYet) {
        DeferredResult<ResponseEntity<Job>> answer = new DeferredResult<>(TimeUnit.SECONDS.toMillis(wait));
        Optional<JobWaits.Registration> waiting = jobs.onEnd(caller, id, job -> answer.setResult(ended.apply(job)));
        if (waiting.isEmpty()) {
            Job now = jobs.find(caller, id);
            return now.status().isTerminal() ? ended.apply(now) : notYet.apply(now);
        }
        answer.onCompletion(waiting.get()::cancel);
        answer.onTimeout(() -> answer.setResult(notYet.apply(jobs.find(caller, id))));
        answer.onError(failure -> waiting.get().cancel());
        return answer;
    }

    @Operation(operationId = "getJobFiles", summary = "/job as the chain left it, as a tar",
            description = "Copied out when the chain ended, whatever its outcome, once a stage ran; at most chainlink.files.max-bytes"
                    + " (the job's files.truncated says whether entries were left out). Links are link entries, never followed.")
    @ApiResponse(responseCode = "200", description = "The tar; names relative to /job",
            content = @Content(mediaType = "application/x-tar", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @GetMapping("/{id}/files")
    public void jobFiles(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                         HttpServletResponse response) throws IOException {
        long internal = jobs.internalId(caller, id);
        response.setContentType("application/x-tar"); // writeOutput answers 404 before it writes
        files.writeOutput(internal, id, response.getOutputStream());
    }

    @Operation(operationId = "getJobFile", summary = "One regular file of /job as the chain left it",
            description = "A directory or a link (never followed) answers 409, a problem whose entryType says what it is"
                    + " and linkTarget where a link points. The path is a query parameter, which clients send with its"
                    + " slashes (a path parameter's would be encoded, and %2F is refused before any mapping);"
                    + " GET /api/v1/jobs/{id}/files/out/report.txt does the same for raw HTTP.")
    @ApiResponse(responseCode = "200", description = "The file's bytes",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.NOT_A_FILE)
    @GetMapping("/{id}/file")
    public void jobFile(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                        @Parameter(description = "Relative to /job, e.g. out/report.txt", required = true) @RequestParam String path,
                        HttpServletResponse response) throws IOException {
        sendFile(caller, id, path, response);
    }

    /** The same file by a path in the URL's path, for curl users: {@code /files/out/report.txt}. */
    @Operation(hidden = true)
    @GetMapping("/{id}/files/{*path}")
    public void jobFileByPath(@Parameter(hidden = true) Caller caller, @PathVariable String id, @PathVariable String path,
                              HttpServletResponse response) throws IOException {
        sendFile(caller, id, path.startsWith("/") ? path.substring(1) : path, response);
    }

    private void sendFile(Caller caller, String id, String path, HttpServletResponse response) throws IOException {
        long internal = jobs.internalId(caller, id);
        try (JobFiles.KeptFile file = files.openFile(internal, id, path)) {
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setContentLengthLong(file.size());
            file.content().transferTo(response.getOutputStream());
        }
    }

    @Operation(operationId = "submitBatch", summary = "Queue several chains all together, or none of them",
            description = "Each job is checked as POST /api/v1/jobs checks one; a refusal names the job by its place"
                    + " (jobs[3].stages[0].image) and stores nothing. The tenant's quota and the queue's bound count the whole batch.")
    @ApiResponse(responseCode = "202", description = "Queued; the jobs in the order submitted")
    @ApiResponse(responseCode = "413", ref = OpenApiConfiguration.CONTENT_TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = OpenApiConfiguration.UNSUPPORTED_MEDIA_TYPE)
    @ApiResponse(responseCode = "503", ref = OpenApiConfiguration.QUEUE_FULL)
    @ApiResponse(responseCode = "429", ref = OpenApiConfiguration.QUOTA_EXCEEDED)
    @PostMapping(value = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<JobBatch> submitBatch(@Parameter(hidden = true) Caller caller, @Valid @RequestBody BatchSubmission batch) {
        int max = properties.batch().maxJobs();
        if (batch.jobs().size() > max) {
            throw BadRequestException.submission("jobs", "at most " + max + " jobs in one batch; got " + batch.jobs().size());
        }
        List<NewJob> queued = new ArrayList<>();
        for (int i = 0; i < batch.jobs().size(); i++) {
            JobSubmission submission = batch.jobs().get(i);
            JobInput input = files.fromJson(submission.files(), "jobs[" + i + "].").keepingOutput(submission.keepsFiles());
            LongConsumer callback = callbacks.accept(submission.callback(), "jobs[" + i + "].");
            queued.add(new NewJob(submission.toSpecs(properties.defaults()), internal -> {
                files.storeInput(internal, input);
                callback.accept(internal);
            }));
        }
        List<Job> submitted = new ArrayList<>(jobs.submitBatch(caller, queued));
        for (int i = 0; i < submitted.size(); i++) {
            if (batch.jobs().get(i).callback() != null) {
                submitted.set(i, submitted.get(i).withCallback(Job.Callback.notYetSent()));
            }
        }
        return ResponseEntity.accepted().body(new JobBatch(submitted));
    }

    @Schema(description = "The jobs of a batch, in the order submitted")
    public record JobBatch(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Job> jobs) {
    }

    @Operation(operationId = "rerunJob", summary = "Run a job again on exactly the images that ran it",
            description = "Submits the same chain again as the caller's job (its role, policy and quota hold), each stage pinned to"
                    + " the image it ran: name@sha256:... when the image has a repo digest, else the image id of an image built on"
                    + " the engine. The new job's rerunOf names this one. A job none of whose stages has run answers 409.")
    @ApiResponse(responseCode = "202", description = "Queued; Location names the new job",
            headers = @Header(name = "Location", description = "The new job's path", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
    @ApiResponse(responseCode = "503", ref = OpenApiConfiguration.QUEUE_FULL)
    @ApiResponse(responseCode = "429", ref = OpenApiConfiguration.QUOTA_EXCEEDED)
    @PostMapping("/{id}/rerun")
    public ResponseEntity<Job> rerun(@Parameter(hidden = true) Caller caller,
                                     @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id) {
        Job job = regrades.rerun(caller, id);
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    @Operation(operationId = "getJob", summary = "A job and its stages' status",
            description = "With wait=N, answers when the job has ended, or after N seconds as it stands then")
    @ApiResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Job.class)))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Object job(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                      @Parameter(description = "Seconds to wait for the job to end (at most 60)")
                      @RequestParam(defaultValue = "0") @Min(0) @Max(60) int wait) {
        // The status read every client polls stays a plain answer: only a wait goes asynchronous.
        return wait == 0 ? jobs.find(caller, id) : whenEnded(caller, id, wait, ResponseEntity::ok, ResponseEntity::ok);
    }

    @Operation(operationId = "cancelJob", summary = "Cancel a job", description = "A queued job ends CANCELLED at once. A running one has its"
            + " container killed, its later stages SKIPPED, and keeps the results of what ran; the answer is 200 once it"
            + " has ended CANCELLED, 202 if it is still stopping. A job that has ended answers 409, a problem whose jobStatus says how it ended.")
    @ApiResponse(responseCode = "200", description = "Cancelled")
    @ApiResponse(responseCode = "202", description = "Stopping; poll the job")
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
    @PostMapping("/{id}/cancel")
    public ResponseEntity<Job> cancel(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id) throws InterruptedException {
        Job job = jobs.cancel(caller, id);
        return job.status().isTerminal() ? ResponseEntity.ok(job) : ResponseEntity.accepted().body(job);
    }

    @Operation(operationId = "listJobs", summary = "Jobs, newest first", description = "Pass the last id of a page as after= to get the"
            + " next page. An after that names none of the caller's jobs answers 400, a problem whose errors name after."
            + " With ids=, a roster instead: those jobs whole (with their stages), in the order asked; ids of no job of the caller's are left out")
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @GetMapping
    public JobPage list(@Parameter(hidden = true) Caller caller,
                        @Parameter(description = "Only this tenant's jobs (admins; others see only their own)")
                        @RequestParam Optional<String> tenant,
                        @RequestParam Optional<JobStatus> status,
                        @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
                        @Parameter(description = "Only jobs older than this one: the next of the previous page; one that names none of"
                                + " the caller's jobs answers 400",
                                schema = @Schema(type = "string", format = "uuid")) @RequestParam Optional<String> after,
                        @Parameter(description = "A roster: these jobs' ids, separated by commas (at most " + MAX_IDS + ");"
                                + " not with tenant, status or after", example = "01a235df-f7bb-7c3e-9c61-0a5d8e7f1b23,01a235df-f7bb-7c3e-9c61-0a5d8e7f1b24")
                        @RequestParam Optional<String> ids) {
        if (ids.isPresent()) {
            if (tenant.isPresent() || status.isPresent() || after.isPresent()) {
                throw BadRequestException.parameter("ids", "cannot be combined with tenant, status or after: a roster is the jobs it names");
            }
            return new JobPage(jobs.findAll(caller, roster(ids.get())), null);
        }
        List<Job> page = jobs.list(caller, tenant, status, limit, after).stream().map(Job::summary).toList();
        String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return new JobPage(page, next);
    }

    /** The ids of a roster, as asked: each a job id as the API writes it (a lower-case UUID). */
    private static List<String> roster(String ids) {
        List<String> list = List.of(ids.split(",", -1));
        if (list.size() > MAX_IDS) {
            throw BadRequestException.parameter("ids", "at most " + MAX_IDS + " ids; got " + list.size());
        }
        for (String id : list) {
            if (!JOB_ID.matcher(id).matches()) {
                throw BadRequestException.parameter("ids", "must be job ids separated by commas; '"
                        + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "' is not one");
            }
        }
        return list;
    }

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Schema(description = "A page of jobs, newest first")
    public record JobPage(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Job> jobs,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                    format = "uuid", description = "Pass as after= for the next page; null on the last page") String next) {
    }

    @Operation(operationId = "getResults", summary = "chainlink's result list: one element per stage that ran, in order")
    @ApiResponse(responseCode = "200", description = "The results", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            array = @ArraySchema(schema = @Schema(implementation = StageResult.class))))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @GetMapping(value = "/{id}/results", produces = MediaType.APPLICATION_JSON_VALUE)
    public void results(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id, HttpServletResponse response)
            throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE); // writeResults answers 404 before it writes
        jobs.writeResults(caller, id, response.getOutputStream());
    }

    @Operation(operationId = "getStageLog",
            summary = "One stream of one stage, as text: each line prefixed with the engine's RFC 3339 timestamp",
            description = "With follow=true, streams the log as the stage writes it and ends when the stage ends;"
                    + " a stage not yet started is waited for, one that has ended gives its stored log. Output past the"
                    + " first half of chainlink.log-limit comes when the stage ends, as stored. With Accept:"
                    + " text/event-stream (and not text/plain) the follow is Server-Sent Events: one data: event a line, then an event end"
                    + " whose data is the stage's status (or an event timeout after chainlink.follow.timeout).")
    @ApiResponse(responseCode = "200", description = "The stream as stored, or as it is written (follow=true)",
            content = {@Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string")),
                    @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
                            description = "follow=true only: data: <line> events, then event: end"))})
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @ApiResponse(responseCode = "503", description = "follow=true: this instance serves as many follows as it allows"
            + " (chainlink.follow.max-followers); follow again later, or read the stored log without follow",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before following again",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    // Whatever Accept says, the answer is text (RFC 9110 12.5.1 lets a server disregard Accept): a
    // generated client asks for JSON, the type its errors have, and would be answered 406. Only a
    // follow that asks for text/event-stream gets it.
    @GetMapping("/{id}/stages/{index}/logs/{stream}")
    public ResponseEntity<ResponseBodyEmitter> logs(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id, @PathVariable int index,
                     @Parameter(schema = @Schema(allowableValues = {"stdout", "stderr"})) @PathVariable String stream,
                     @Parameter(description = "Stream the log as the stage writes it, until the stage ends")
                     @RequestParam(defaultValue = "false") boolean follow,
                     @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                     HttpServletResponse response) throws IOException {
        LogStream which = LogStream.of(stream);
        if (follow) {
            // A generated client accepts every type the document names: text/plain wins for it.
            boolean events = accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)
                    && !accept.contains(MediaType.TEXT_PLAIN_VALUE);
            ResponseBodyEmitter emitter = followers.follow(caller, id, index, which, events)
                    .orElseThrow(() -> new LogsNotKeptException(id, index));
            return ResponseEntity.ok()
                    .contentType(events ? MediaType.TEXT_EVENT_STREAM : MediaType.parseMediaType(MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8"))
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .body(emitter);
        }
        response.setContentType(MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8");
        if (!jobs.copyLog(caller, id, index, which, response.getOutputStream())) {
            throw new LogsNotKeptException(id, index);
        }
        return null; // answered: the log is written
    }
}
