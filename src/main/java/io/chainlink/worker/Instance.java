package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** This instance's name as the owner of the jobs it runs: {@code chainlink.instance-id}, else host name and a random suffix. */
@Component
public class Instance {

    private final String id;

    public Instance(ChainlinkProperties properties) {
        String configured = properties.instanceId();
        // The suffix tells apart two instances on one host, and one instance from its own restart.
        this.id = configured != null && !configured.isBlank() ? configured
                : hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "chainlink";
        }
    }
}
