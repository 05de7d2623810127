package io.chainlink.follow;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How stage logs are followed ({@code ?follow=true}), under {@code chainlink.follow.*}.
 *
 * @param maxFollowers most follows open at once in this instance; past it a follow is answered 503
 *                     with Retry-After (the stored log alone would look like a stage that ended)
 * @param timeout      how long one follow may stay open, waiting for its stage included; then it ends
 *                     (an SSE follow with {@code event: timeout}), and the client may follow again
 * @param pollInterval how often a follower looks at the database when nothing in this instance
 *                     told it of new output: a stage that another instance runs shows at this pace
 */
@Validated
@ConfigurationProperties("chainlink.follow")
public record FollowProperties(
        @DefaultValue("256") @Min(1) @Max(10_000) int maxFollowers,
        @DefaultValue("30m") Duration timeout,
        @DefaultValue("1s") Duration pollInterval) {

    public FollowProperties {
        if (timeout.isNegative() || timeout.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("chainlink.follow.timeout and chainlink.follow.poll-interval must be positive");
        }
    }
}
