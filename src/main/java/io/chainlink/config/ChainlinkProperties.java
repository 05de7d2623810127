package io.chainlink.config;

import io.chainlink.engine.Containment;
import io.chainlink.files.FileLimits;
import io.chainlink.policy.StagePolicy;
import io.chainlink.stage.StageDefaults;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import io.chainlink.auth.Role;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an operator can set, under {@code chainlink.*}, with its default.
 *
 * @param workers       jobs run at once; 0 for an instance that only accepts and serves jobs
 * @param maxQueued     most jobs waiting at once; a submission past it is refused with 503
 * @param logLimit      bytes kept per stream (stdout, stderr) per stage; the rest is counted, not kept
 * @param pollInterval  how often idle workers look for jobs submitted elsewhere (another instance)
 * @param pullTimeout   how long all of a job's pulls may take together
 * @param stopGrace     how long shutdown waits for running jobs before killing their containers
 * @param dockerHost    the engine; unset: {@code DOCKER_HOST}, else the local socket
 * @param maxRequestSize largest request body accepted
 * @param dockerConfig  folder of the Docker config file whose {@code auths} pulls use;
 *                      unset: {@code $DOCKER_CONFIG}, else {@code ~/.docker}
 * @param registries    registry credentials, which win over the Docker config file's
 * @param engineTimeout deadline of every call to the engine that should answer at once, and the
 *                      grace a stage gets past its timeout before the engine is given up on
 * @param instanceId    this instance's name as owner of the jobs it runs; unset: host name and a random suffix
 * @param lease         how long a running job stays its instance's without a heartbeat; after
 *                      that any instance settles it by the recovery policy
 * @param recovery      what becomes of a job whose instance stopped while running it
 * @param maxAttempts   under {@code requeue}, most runs of one job; the last interrupted one ends ERROR
 * @param sweepInterval how often containers and volumes of ended jobs are looked for and removed
 * @param pullStall     how long a pull may go without a word of progress from the engine before it
 *                      is abandoned, well within {@code pull-timeout}
 * @param clients       who may use the API, each with a bearer token; none: the service runs open,
 *                      on the loopback address, for its one local user
 * @param auth          {@code none} lets everyone in as admin, wherever the service listens
 * @param retention     how long an ended job, with its stages, results and logs, is kept after it
 *                      ended; then it is deleted. 0 keeps every job
 * @param policy        what stages may ask of the engine, checked at submission (the service-wide policy)
 * @param containment   what every stage's container gets whatever it asks (a pids limit, no new privileges, a CPU weight)
 * @param maxWaiters    most clients waiting at once for jobs to end ({@code ?wait=}), held without a
 *                      thread each; past it a wait answers at once
 * @param files         a job's files in and out of {@code /job}: how much of /job is kept, how large an upload may be
 * @param batch         bounds of {@code POST /api/v1/jobs/batch}
 * @param callbacks     where job callbacks may go, and how they are retried; none may go anywhere by default
 * @param role          {@code all}: serves the API and runs jobs; {@code api}: serves the API and runs no jobs
 *                      (no workers, no recovery, no engine sweeps), so the API tier and the worker tier scale
 *                      apart; {@code worker}: runs jobs, and serves the API too (its health and metrics are
 *                      there, and a load balancer, not the service, decides who sends it requests)
 * @param maxStages     no longer read: the rule moved to {@code chainlink.policy.max-stages}; set, it stops
 *                      the start, so that an operator's bound is not dropped in silence
 */
@Validated
@ConfigurationProperties("chainlink")
public record ChainlinkProperties(
        @DefaultValue("2") @Min(0) @Max(64) int workers,
        @DefaultValue("100000") @Min(1) int maxQueued,
        @DefaultValue("1MB") DataSize logLimit,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10m") Duration pullTimeout,
        @DefaultValue("10s") Duration stopGrace,
        String dockerHost,
        @DefaultValue("1MB") DataSize maxRequestSize,
        String dockerConfig,
        @DefaultValue @Valid StageDefaults defaults,
        @DefaultValue List<@Valid Registry> registries,
        @DefaultValue("30s") Duration engineTimeout,
        String instanceId,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("fail") Recovery recovery,
        @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
        @DefaultValue("1m") Duration sweepInterval,
        @DefaultValue("1m") Duration pullStall,
        @DefaultValue List<@Valid Client> clients,
        @DefaultValue("tokens") Auth auth,
        @DefaultValue("30d") Duration retention,
        @DefaultValue @Valid StagePolicy policy,
        @DefaultValue @Valid Containment containment,
        @DefaultValue("1000") @Min(0) @Max(100000) int maxWaiters,
        @DefaultValue @Valid FileLimits files,
        @DefaultValue @Valid Batch batch,
        @DefaultValue @Valid Callbacks callbacks,
        @DefaultValue("all") InstanceRole role,
        @Deprecated Integer maxStages) {

    public ChainlinkProperties {
        requirePositive("chainlink.poll-interval", pollInterval);
        requirePositive("chainlink.pull-timeout", pullTimeout);
        requirePositive("chainlink.stop-grace", stopGrace);
        requirePositive("chainlink.engine-timeout", engineTimeout);
        requirePositive("chainlink.sweep-interval", sweepInterval);
        requirePositive("chainlink.pull-stall", pullStall);
        if (retention.isNegative()) {
            throw new IllegalArgumentException("chainlink.retention must not be negative (0 keeps every job); got " + retention);
        }
        if (maxStages != null) {
            throw new IllegalArgumentException("chainlink.max-stages is now chainlink.policy.max-stages; set that instead");
        }
        if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("chainlink.lease must be at least 3s (a heartbeat a second); got " + lease);
        }
        if (logLimit.toBytes() < 0 || maxRequestSize.toBytes() <= 0) {
            throw new IllegalArgumentException("chainlink.log-limit must not be negative, chainlink.max-request-size must be positive");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive; got " + value);
        }
    }

    /** The stage policy of a tenant: the first of its clients' own, else the service-wide one. */
    public StagePolicy policyFor(String tenant) {
        return clients.stream().filter(c -> c.name().equals(tenant) && c.policy() != null)
                .map(Client::policy).findFirst().orElse(policy);
    }

    /**
     * Bounds of a batch submission.
     *
     * @param maxJobs most jobs in one batch; a larger one answers 400 naming {@code jobs}
     */
    public record Batch(@DefaultValue("100") @Min(1) @Max(1000) int maxJobs) {
    }

    /**
     * Job callbacks: off until an operator names where they may go, since the service's POSTs
     * would otherwise reach whatever a client names, inside the operator's network too.
     *
     * @param allowedUrls     URL prefixes a callback's URL must fall under, compared as parsed (same
     *                        scheme, host and port; the path under the prefix's by whole segments);
     *                        empty: every callback is refused
     * @param maxAttempts     most deliveries of one callback; then it is FAILED
     * @param retryDelay      the wait before the second delivery; doubled before each later one
     * @param maxRetryDelay   the longest wait between two deliveries
     * @param connectTimeout  deadline of connecting to the callback's host
     * @param responseTimeout deadline of the answer, once connected
     * @param threads         deliveries under way at once, on threads of their own
     * @param pollInterval    how often due deliveries are looked for without news from this instance
     */
    public record Callbacks(
            @DefaultValue List<@NotBlank String> allowedUrls,
            @DefaultValue("5") @Min(1) @Max(20) int maxAttempts,
            @DefaultValue("2s") Duration retryDelay,
            @DefaultValue("5m") Duration maxRetryDelay,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("10s") Duration responseTimeout,
            @DefaultValue("2") @Min(1) @Max(16) int threads,
            @DefaultValue("5s") Duration pollInterval) {

        public Callbacks {
            requirePositive("chainlink.callbacks.retry-delay", retryDelay);
            requirePositive("chainlink.callbacks.max-retry-delay", maxRetryDelay);
            requirePositive("chainlink.callbacks.connect-timeout", connectTimeout);
            requirePositive("chainlink.callbacks.response-timeout", responseTimeout);
            requirePositive("chainlink.callbacks.poll-interval", pollInterval);
            allowedUrls = List.copyOf(allowedUrls);
        }
    }

    /** The workers this instance runs: {@code workers}, none for an {@code api} instance. */
    public int jobWorkers() {
        return role == InstanceRole.API ? 0 : workers;
    }

    /** What an instance does among several on one database ({@code chainlink.role}). */
    public enum InstanceRole {
        /** Serves the API and runs jobs: one instance alone, or each of several alike. */
        ALL,
        /** Serves the API only: no workers, no recovery, no sweeps of the engine. */
        API,
        /** Runs jobs; serves the API as well, for its health and metrics and whoever is sent to it. */
        WORKER
    }

    /** Whether the API asks who calls it. */
    public enum Auth {
        /** Bearer tokens of the configured clients (with none configured: open, on loopback only). */
        TOKENS,
        /** Everyone is let in as admin: an operator's explicit choice. */
        NONE
    }

    /**
     * One client of the API: its tenant (e.g. a course), its bearer token (in practice from the
     * environment, e.g. {@code CHAINLINK_CLIENTS_0_TOKEN}) and its role; optional quotas, which
     * hold for its whole tenant (the smallest of its clients' wins).
     *
     * @param maxQueued  most of the tenant's jobs waiting at once; past it a submission answers 429
     * @param maxRunning most of the tenant's jobs running at once; the rest wait their turn
     * @param policy     the tenant's own stage policy, in place of the service-wide one (what it leaves
     *                   unset takes the built-in defaults, not the service-wide values)
     */
    public record Client(
            @NotBlank String name,
            @NotBlank @Size(min = 16, message = "must be at least 16 characters") String token,
            @NotNull Role role,
            @Min(1) Integer maxQueued,
            @Min(1) Integer maxRunning,
            @Valid StagePolicy policy) {

        @Override
        public String toString() { // never print a token
            return "Client[name=" + name + ", role=" + role + "]";
        }
    }

    /** What becomes of a job whose instance stopped while running it. */
    public enum Recovery {
        /** It ends ERROR: a frontend that retries ERROR decides. */
        FAIL,
        /** It runs again from its first stage, up to {@code max-attempts} runs. */
        REQUEUE
    }

    /**
     * Credentials for one registry host, sent with pulls from it.
     *
     * @param host    as it appears in image references, e.g. {@code 127.0.0.1:5001} or {@code ghcr.io}
     * @param clients the tenants whose jobs may pull with them; empty: every tenant's
     */
    public record Registry(@NotBlank String host, @NotBlank String username, String password,
                           @DefaultValue List<String> clients) {

        /** Whether a job of {@code tenant} pulls with these credentials. */
        public boolean serves(String tenant) {
            return clients.isEmpty() || clients.contains(tenant);
        }

        @Override
        public String toString() { // never print a password
            return "Registry[host=" + host + ", username=" + username + ", clients=" + clients + "]";
        }
    }
}
