package io.chainlink.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.it.EngineTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The clients the build generates (pom: openapi-generator-maven-plugin) are generated from a
 * committed snapshot of the API document, so the build needs no running service; this keeps the
 * snapshot exactly the document the service serves.
 */
class ApiSnapshotTest extends EngineTest {

    static final Path SNAPSHOT = Path.of("src/test/resources/openapi/chainlink.json");
    private static final Path SERVED = Path.of("target/openapi/chainlink.json");

    @Test
    void snapshotTheClientsAreGeneratedFromIsTheServedDocument() throws IOException {
        Response served = get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        Files.createDirectories(SERVED.getParent());
        Files.writeString(SERVED, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served.body()) + "\n");

        List<String> differences = new ArrayList<>();
        compare("", JSON.readTree(Files.readString(SNAPSHOT)), served.body(), differences);
        assertThat(differences)
                .as("The service's /v3/api-docs differs from %s, which the generated clients are built from. If the"
                        + " change is meant, take the served document: cp %s %s", SNAPSHOT, SERVED, SNAPSHOT)
                .isEmpty();
    }

    /** The JSON pointers at which the two documents differ; objects compare regardless of key order. */
    private static void compare(String at, JsonNode snapshot, JsonNode served, List<String> differences) {
        if (snapshot.isObject() && served.isObject()) {
            TreeSet<String> names = new TreeSet<>(snapshot.propertyNames());
            names.addAll(served.propertyNames());
            for (String name : names) {
                compare(at + "/" + name.replace("~", "~0").replace("/", "~1"),
                        snapshot.path(name), served.path(name), differences);
            }
        } else if (snapshot.isArray() && served.isArray() && snapshot.size() == served.size()) {
            for (int i = 0; i < snapshot.size(); i++) {
                compare(at + "/" + i, snapshot.get(i), served.get(i), differences);
            }
        } else if (!snapshot.equals(served)) {
            differences.add(at + ": " + brief(snapshot) + " in the snapshot, " + brief(served) + " served");
        }
    }

    private static String brief(JsonNode node) {
        if (node.isMissingNode()) {
            return "absent";
        }
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
