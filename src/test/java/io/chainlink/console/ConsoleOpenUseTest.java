package io.chainlink.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.it.EngineTest;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service with no clients is open to its local user: the console lets them in without a token. */
class ConsoleOpenUseTest extends EngineTest {

    @Test
    void withNoClientsTheConsoleGoesOnWithoutAToken() throws IOException, InterruptedException {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "networking": false, "entrypoint": ["true"]}]}""");
        awaitEnd(id);

        String said = ConsoleBrowser.drive(Map.of(),
                "open", "http://127.0.0.1:" + port, ConsoleBrowser.SCREENSHOTS.toAbsolutePath().toString(), id);

        assertThat(said).contains("console checks passed");
    }
}
