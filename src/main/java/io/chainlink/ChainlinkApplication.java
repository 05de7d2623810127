package io.chainlink;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ChainlinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChainlinkApplication.class, args);
    }
}
