package io.chainlink.job;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.config.ChainlinkProperties.Client;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Each tenant's quotas, from its clients' settings (the smallest wins when a tenant has several
 * clients): most jobs queued, most running. Tenants without a quota have none.
 */
@Component
public class TenantQuotas {

    public static final TenantQuotas NONE = new TenantQuotas(Map.of(), Map.of());

    private final Map<String, Integer> maxQueued;
    private final Map<String, Integer> maxRunning;

    @Autowired
    public TenantQuotas(ChainlinkProperties properties) {
        this(smallest(properties, Client::maxQueued), smallest(properties, Client::maxRunning));
    }

    private TenantQuotas(Map<String, Integer> maxQueued, Map<String, Integer> maxRunning) {
        this.maxQueued = maxQueued;
        this.maxRunning = maxRunning;
    }

    public OptionalInt maxQueued(String tenant) {
        Integer max = maxQueued.get(tenant);
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
    }

    public OptionalInt maxRunning(String tenant) {
        Integer max = maxRunning.get(tenant);
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
    }

    boolean limitsRunning() {
        return !maxRunning.isEmpty();
    }

    private static Map<String, Integer> smallest(ChainlinkProperties properties, Function<Client, Integer> quota) {
        Map<String, Integer> quotas = new HashMap<>();
        for (Client client : properties.clients()) {
            Integer max = quota.apply(client);
            if (max != null) {
                quotas.merge(client.name(), max, Math::min);
            }
        }
        return Map.copyOf(quotas);
    }
}
