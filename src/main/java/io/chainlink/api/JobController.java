package io.chainlink.api;

import io.chainlink.auth.Caller;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.follow.LogFollowers;
import io.chainlink.job.Job;
import io.chainlink.job.JobService;
import io.chainlink.job.JobWaits;
import io.chainlink.job.JobStatus;
import io.chainlink.job.LogStream;
import io.chainlink.job.StageResult;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

@Tag(name = "jobs", description = "Queue chains of containers, follow them, read their results and logs, cancel them")
@RestController
@RequestMapping("/api/v1/jobs")
public class JobController {

    private final JobService jobs;
    private final ChainlinkProperties properties;
    private final LogFollowers followers;

    public JobController(JobService jobs, ChainlinkProperties properties, LogFollowers followers) {
        this.jobs = jobs;
        this.properties = properties;
        this.followers = followers;
    }

    @Operation(operationId = "submitJob", summary = "Queue a chain; it runs later, on a worker",
            description = "With wait=N, answers 200 once the job has ended, if it ends within N seconds; otherwise 202 as without it")
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
        Job job = jobs.submit(caller, submission.toSpecs(properties.defaults()));
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
            + " next page. An after that names none of the caller's jobs answers 400, a problem whose errors name after")
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @GetMapping
    public JobPage list(@Parameter(hidden = true) Caller caller,
                        @Parameter(description = "Only this tenant's jobs (admins; others see only their own)")
                        @RequestParam Optional<String> tenant,
                        @RequestParam Optional<JobStatus> status,
                        @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
                        @Parameter(description = "Only jobs older than this one: the next of the previous page; one that names none of"
                                + " the caller's jobs answers 400",
                                schema = @Schema(type = "string", format = "uuid")) @RequestParam Optional<String> after) {
        List<Job> page = jobs.list(caller, tenant, status, limit, after).stream().map(Job::summary).toList();
        String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return new JobPage(page, next);
    }

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
