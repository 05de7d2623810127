package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.chainlink.ChainlinkApplication;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** With no clients configured the service is open, for one user on one machine: it listens on loopback only. */
class OpenUseTest {

    @Test
    void withoutClientsItListensOnTheLoopbackAddressOnly() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            Connector connector = ((TomcatWebServer) ((WebServerApplicationContext) context).getWebServer()).getTomcat().getConnector();
            assertThat((InetAddress) connector.getProperty("address")).satisfies(address -> assertThat(address.isLoopbackAddress()).isTrue());
        }
    }

    @Test
    void withoutClientsItRefusesToListenElsewhereUnlessTold() {
        Throwable refused = catchThrowable(() -> start("--server.address=0.0.0.0").close());

        assertThat(refused).hasStackTraceContaining("chainlink.clients").hasStackTraceContaining("chainlink.auth=none");
    }

    private static ConfigurableApplicationContext start(String... more) throws Exception {
        Path data = Files.createTempDirectory("chainlink-open");
        String[] args = java.util.stream.Stream.concat(
                java.util.stream.Stream.of("--server.port=0", "--chainlink.data-dir=" + data, "--chainlink.workers=0"),
                java.util.stream.Stream.of(more)).toArray(String[]::new);
        return new SpringApplicationBuilder(ChainlinkApplication.class).run(args);
    }
}
