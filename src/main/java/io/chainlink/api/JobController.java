package io.chainlink.api;

import io.chainlink.auth.Caller;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.files.JobFiles;
import io.chainlink.files.JobInput;
import io.chainlink.job.Job;
import io.chainlink.job.JobService;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "jobs", description = "Queue chains of containers, follow them, read their results and logs, cancel them")
@RestController
@RequestMapping("/api/v1/jobs")
public class JobController {

    private final JobService jobs;
    private final ChainlinkProperties properties;
    private final JobFiles files;

    public JobController(JobService jobs, ChainlinkProperties properties, JobFiles files) {
        this.jobs = jobs;
        this.properties = properties;
        this.files = files;
    }

    @Operation(operationId = "submitJob", summary = "Queue a chain; it runs later, on a worker",
            description = "Its files are placed in /job before the first stage runs. For larger inputs the same path takes"
                    + " multipart/form-data: a part chain (this body, application/json) and a part files (a tar of regular files"
                    + " and directories), at most chainlink.files.max-upload in all.")
    @ApiResponse(responseCode = "202", description = "Queued; Location names the job",
            headers = @Header(name = "Location", description = "The job's path", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "413", ref = OpenApiConfiguration.CONTENT_TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = OpenApiConfiguration.UNSUPPORTED_MEDIA_TYPE)
    @ApiResponse(responseCode = "503", ref = OpenApiConfiguration.QUEUE_FULL)
    @ApiResponse(responseCode = "429", ref = OpenApiConfiguration.QUOTA_EXCEEDED)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Job> submit(@Parameter(hidden = true) Caller caller, @Valid @RequestBody JobSubmission submission) {
        return submit(caller, submission, files.fromJson(submission.files()));
    }

    /**
     * The same submission as a form, for inputs larger than a JSON body: a part {@code chain} (the
     * submission) and a part {@code files} (a tar). Left out of the document: OpenAPI has one
     * operation per path and method, and with both bodies in it the generated clients' submitJob
     * would take a form; submitJob's description and the README say how to send it.
     */
    @Operation(hidden = true)
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<Job> submitWithFiles(@Parameter(hidden = true) Caller caller,
                                               @Valid @RequestPart("chain") JobSubmission chain,
                                               @RequestPart("files") MultipartFile tar) {
        return submit(caller, chain, files.fromForm(chain.files(), tar));
    }

    private ResponseEntity<Job> submit(Caller caller, JobSubmission submission, JobInput input) {
        Job job = jobs.submit(caller, submission.toSpecs(properties.defaults()), internal -> files.storeInput(internal, input));
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
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
                    + " and linkTarget where a link points.")
    @ApiResponse(responseCode = "200", description = "The file's bytes",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.NOT_A_FILE)
    @GetMapping("/{id}/files/{*path}")
    public void jobFile(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                        @Parameter(description = "Relative to /job, e.g. out/report.txt", schema = @Schema(type = "string")) @PathVariable String path,
                        HttpServletResponse response) throws IOException {
        long internal = jobs.internalId(caller, id);
        try (JobFiles.KeptFile file = files.openFile(internal, id, path.startsWith("/") ? path.substring(1) : path)) {
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setContentLengthLong(file.size());
            file.content().transferTo(response.getOutputStream());
        }
    }

    @Operation(operationId = "getJob", summary = "A job and its stages' status",
            description = "With wait=N, answers when the job has ended, or after N seconds as it stands then")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Job job(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                   @Parameter(description = "Seconds to wait for the job to end (at most 60)")
                   @RequestParam(defaultValue = "0") @Min(0) @Max(60) int wait) throws InterruptedException {
        return wait == 0 ? jobs.find(caller, id) : jobs.awaitEnd(caller, id, Duration.ofSeconds(wait));
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

    @Operation(operationId = "listJobs", summary = "Jobs, newest first", description = "Pass the last id of a page as after= to get the next page")
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @GetMapping
    public JobPage list(@Parameter(hidden = true) Caller caller,
                        @Parameter(description = "Only this tenant's jobs (admins; others see only their own)")
                        @RequestParam Optional<String> tenant,
                        @RequestParam Optional<JobStatus> status,
                        @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
                        @Parameter(description = "Only jobs older than this one: the next of the previous page",
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
            summary = "One stream of one stage, as text: each line prefixed with the engine's RFC 3339 timestamp")
    @ApiResponse(responseCode = "200", description = "The stream as stored",
            content = @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
    // Whatever Accept says, the answer is text (RFC 9110 12.5.1 lets a server disregard Accept): a
    // generated client asks for JSON, the type its errors have, and would be answered 406.
    @GetMapping("/{id}/stages/{index}/logs/{stream}")
    public void logs(@Parameter(hidden = true) Caller caller, @Parameter(description = "The job's id", schema = @Schema(type = "string", format = "uuid")) @PathVariable String id, @PathVariable int index,
                     @Parameter(schema = @Schema(allowableValues = {"stdout", "stderr"})) @PathVariable String stream,
                     HttpServletResponse response) throws IOException {
        LogStream which = LogStream.of(stream);
        response.setContentType(MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8");
        if (!jobs.copyLog(caller, id, index, which, response.getOutputStream())) {
            throw new LogsNotKeptException(id, index);
        }
    }
}
