package io.chainlink.config;

import io.chainlink.stage.StageDefaults;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
 * @param maxStages     most stages one job may have
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
 */
@Validated
@ConfigurationProperties("chainlink")
public record ChainlinkProperties(
        @DefaultValue("2") @Min(0) @Max(64) int workers,
        @DefaultValue("32") @Min(1) @Max(1000) int maxStages,
        @DefaultValue("100000") @Min(1) int maxQueued,
        @DefaultValue("1MB") DataSize logLimit,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10m") Duration pullTimeout,
        @DefaultValue("10s") Duration stopGrace,
        String dockerHost,
        @DefaultValue("1MB") DataSize maxRequestSize,
        String dockerConfig,
        @DefaultValue @Valid StageDefaults defaults,
        @DefaultValue List<@Valid Registry> registries) {

    public ChainlinkProperties {
        requirePositive("chainlink.poll-interval", pollInterval);
        requirePositive("chainlink.pull-timeout", pullTimeout);
        requirePositive("chainlink.stop-grace", stopGrace);
        if (logLimit.toBytes() < 0 || maxRequestSize.toBytes() <= 0) {
            throw new IllegalArgumentException("chainlink.log-limit must not be negative, chainlink.max-request-size must be positive");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive; got " + value);
        }
    }

    /**
     * Credentials for one registry host, sent with every pull from it.
     *
     * @param host as it appears in image references, e.g. {@code 127.0.0.1:5001} or {@code ghcr.io}
     */
    public record Registry(@NotBlank String host, @NotBlank String username, String password) {

        @Override
        public String toString() { // never print a password
            return "Registry[host=" + host + ", username=" + username + "]";
        }
    }
}
