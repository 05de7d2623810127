package io.chainlink.callback;

import io.chainlink.config.ChainlinkProperties;
import java.net.URI;
import java.time.Clock;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Service;

/**
 * Job callbacks, the one door: a submission's callback is checked against
 * chainlink.callbacks.allowed-urls before anything is stored, then stored with its job, in the
 * job's transaction; {@link CallbackDeliverer} sends it once the job has ended.
 */
@Service
public class Callbacks {

    /** HMAC-SHA256 of the body's exact bytes, as issue 27 defines it. */
    public static final String SIGNATURE = "Chainlink-Signature";
    /** When the delivery was sent, in seconds since the epoch; not covered by {@link #SIGNATURE}. */
    public static final String TIMESTAMP = "Chainlink-Timestamp";
    /** HMAC-SHA256 of {@code timestamp + "." + body}: lets a receiver refuse an old delivery replayed. */
    public static final String TIMESTAMP_SIGNATURE = "Chainlink-Timestamp-Signature";

    private final CallbackRepository repository;
    private final Allowlist allowlist;
    private final Clock clock;

    Callbacks(CallbackRepository repository, ChainlinkProperties properties, Clock clock) {
        this.repository = repository;
        this.allowlist = new Allowlist(properties.callbacks().allowedUrls());
        this.clock = clock;
    }

    /**
     * What a submission with this callback stores beside its job, in the job's transaction, given
     * the job's internal id (nothing for none); checked now, before the job is stored.
     *
     * @throws CallbackRefusedException if the operator does not allow callbacks to its URL (none is by default)
     */
    public LongConsumer accept(CallbackRequest callback) {
        return accept(callback, "");
    }

    /** As {@link #accept(CallbackRequest)}, for a submission within another ({@code jobs[3].}): a refusal names its field from there. */
    public LongConsumer accept(CallbackRequest callback, String within) {
        if (callback == null) {
            return job -> { };
        }
        URI url = HttpUrl.Check.parse(callback.url());
        if (url == null || !allowlist.allows(url)) {
            throw new CallbackRefusedException(within + "callback.url", allowlist.isEmpty()
                    ? "callbacks are off: chainlink.callbacks.allowed-urls names no URL"
                    : callback.url() + " is not under any of chainlink.callbacks.allowed-urls");
        }
        return job -> repository.insert(job, callback, clock.instant());
    }
}
