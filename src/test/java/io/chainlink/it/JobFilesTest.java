package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Files in and out of /job, through HTTP and the real engine: placed before the first stage (from
 * the JSON or a form's tar), kept when the chain ends, served as a tar or a file at a time, links
 * kept as links and never followed, the cap said on the view, and every bad input a 400 naming its
 * field with nothing stored. A cap of 64 KB here, so that one stage can pass it.
 */
@TestPropertySource(properties = "chainlink.files.max-bytes=64KB")
class JobFilesTest extends EngineTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    private JdbcClient jdbc;

    @Test
    void jsonFilesAreInSlashJobBeforeTheFirstStageAndANonRootStageReadsThem() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "user": "1000",
                             "entrypoint": ["sh", "-c", "id -u; cat /job/src/main.py; stat -c '%%a %%u' /job/src/main.py /job/src"]}],
                 "files": [{"path": "src/main.py", "content": "%s"}]}""".formatted(base64("print('hi')\n")));

        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(stdout(job.get("id").asString())).isEqualTo("1000\nprint('hi')\n644 0\n777 0\n");
    }

    @Test
    void aFormWithATarPlacesItsFilesAsTheJsonWould() throws Exception {
        byte[] tar = tar(Map.of("./data/", "", "./data/in.txt", "from the tar\n"));
        String chain = chain("""
                {"stages": [{"image": "IMAGE", "user": "1000", "entrypoint": ["cat", "/job/data/in.txt"]}]}""");

        HttpResponse<String> response = postForm(chain, tar);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = JSON.readTree(response.body()).get("id").asString();
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(stdout(id)).isEqualTo("from the tar\n");
    }

    @Test
    void slashJobAsTheChainLeftItComesBackAsATarAndAFileAtATime() throws Exception {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "mkdir -p /job/out && echo hello > /job/out/report.txt"]},
                            {"image": "IMAGE", "user": "1000", "entrypoint": ["sh", "-c", "echo second > /job/second.txt; exit 3"]}],
                 "keepFiles": true}""");
        String id = job.get("id").asString();

        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        Map<String, String> tar = entries(getBytes("/api/v1/jobs/" + id + "/files"));
        assertThat(tar).containsEntry("out/", "directory").containsEntry("out/report.txt", "hello\n")
                .containsEntry("second.txt", "second\n");
        assertThat(job.get("files").get("truncated").asBoolean()).isFalse();
        assertThat(job.get("files").get("bytes").asLong()).isPositive();

        HttpResponse<byte[]> file = getResponse("/api/v1/jobs/" + id + "/files/out/report.txt");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(new String(file.body(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(file.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        HttpResponse<byte[]> byQuery = getResponse("/api/v1/jobs/" + id + "/file?path=out/report.txt");
        assertThat(new String(byQuery.body(), StandardCharsets.UTF_8)).as("the query form, which clients send").isEqualTo("hello\n");
        assertThat(getResponse("/api/v1/jobs/" + id + "/files/out/missing.txt").statusCode()).isEqualTo(404);
        assertThat(getResponse("/api/v1/jobs/" + id + "/files/out").statusCode()).isEqualTo(409);
    }

    @Test
    void aSymbolicLinkToTheHostsShadowFileIsKeptAsALinkAndNeverFollowed() throws Exception {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "ln -s /etc/shadow /job/x && ln -s ../../etc/passwd /job/y"]}],
                 "keepFiles": true}""");
        String id = job.get("id").asString();

        byte[] bytes = getBytes("/api/v1/jobs/" + id + "/files");
        Map<String, String> tar = entries(bytes);
        assertThat(tar).containsEntry("x", "link to /etc/shadow").containsEntry("y", "link to ../../etc/passwd");
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("root:");

        Response link = get("/api/v1/jobs/" + id + "/files/x");
        assertThat(link.status()).isEqualTo(409);
        assertThat(link.body().get("entryType").asString()).isEqualTo("a symbolic link");
        assertThat(link.body().get("linkTarget").asString()).isEqualTo("/etc/shadow");
        assertThat(link.text()).doesNotContain("root:");
    }

    @Test
    void pastTheCapWhatFitsIsKeptAndTheViewSaysTruncated() throws Exception {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c",
                   "head -c 100000 /dev/zero > /job/big; echo small > /job/small"]}], "keepFiles": true}""");
        String id = job.get("id").asString();

        assertThat(job.get("files").get("truncated").asBoolean()).isTrue();
        byte[] bytes = getBytes("/api/v1/jobs/" + id + "/files");
        assertThat(bytes.length).isLessThanOrEqualTo(64 * 1024).isEqualTo(job.get("files").get("bytes").asInt());
        assertThat(entries(bytes)).containsEntry("small", "small\n").doesNotContainKey("big");
    }

    @Test
    void withoutKeepFilesNothingOfSlashJobIsKept() throws Exception {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "echo hello > /job/out.txt"]}]}""");
        String id = job.get("id").asString();

        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("files").isNull()).as(job.toString()).isTrue();
        Response files = get("/api/v1/jobs/" + id + "/files");
        assertThat(files.status()).isEqualTo(404);
        assertThat(files.body().get("detail").asString()).contains("keepFiles");

        Response notABoolean = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE"}], "keepFiles": "yes"}"""));
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.body().get("errors").get(0).get("field").asString()).isEqualTo("keepFiles");
    }

    @Test
    void badFilesAreEachA400NamingTheFieldAndNothingIsStored() throws Exception {
        long jobs = storedJobs();
        Map<String, String> json = new LinkedHashMap<>();
        json.put("{\"path\": \"../x\", \"content\": \"\"}", "files[0].path");
        json.put("{\"path\": \"/etc/passwd\", \"content\": \"\"}", "files[0].path");
        json.put("{\"path\": \"\", \"content\": \"\"}", "files[0].path");
        json.put("{\"path\": \"a\\u0000b\", \"content\": \"\"}", "files[0].path");
        json.put("{\"path\": \"a//b\", \"content\": \"\"}", "files[0].path");
        json.put("{\"path\": \"a\", \"content\": \"not base64!\"}", "files[0].content");
        json.put("{\"path\": \"a\", \"content\": \"\", \"mode\": 2541}", "files[0].mode");
        for (var bad : json.entrySet()) {
            Response response = post("/api/v1/jobs", chain("""
                    {"stages": [{"image": "IMAGE"}], "files": [%s]}""".formatted(bad.getKey())));
            assertThat(response.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(response.body().get("errors").get(0).get("field").asString()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        String chain = chain("""
                {"stages": [{"image": "IMAGE"}]}""");
        for (byte[] tar : new byte[][] {tar(Map.of("../evil", "x")), tar(Map.of("/etc/evil", "x")), linkTar(),
                "this is not a tar".repeat(64).getBytes(StandardCharsets.UTF_8)}) {
            HttpResponse<String> response = postForm(chain, tar);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("errors").get(0).get("field").asString()).isEqualTo("files");
        }
        assertThat(storedJobs()).as("nothing stored").isEqualTo(jobs);
    }

    private long storedJobs() {
        return jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single();
    }

    private String stdout(String id) {
        Response log = get("/api/v1/jobs/" + id + "/stages/0/logs/stdout");
        assertThat(log.status()).isEqualTo(200);
        return log.text().lines().map(line -> line.substring(line.indexOf(' ') + 1)).map(line -> line + "\n")
                .reduce("", String::concat);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A tar of these entries: a name ending in / is a directory. */
    private static byte[] tar(Map<String, String> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (var entry : new java.util.TreeMap<>(entries).entrySet()) {
                byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey(), true); // names as given, "../" too
                if (!entry.getKey().endsWith("/")) {
                    header.setSize(content.length);
                }
                tar.putArchiveEntry(header);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] linkTar() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry link = new TarArchiveEntry("shadow", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/shadow");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** Each entry's name and its content, "directory", or "link to" its target. */
    private static Map<String, String> entries(byte[] tar) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), entry.isSymbolicLink() ? "link to " + entry.getLinkName()
                        : entry.isDirectory() ? "directory" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private HttpResponse<String> postForm(String chain, byte[] tar) throws Exception {
        String boundary = "chainlink-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"chain\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + chain + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"in.tar\"\r\n"
                + "Content-Type: application/x-tar\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(tar);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(uri("/api/v1/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] getBytes(String path) throws Exception {
        HttpResponse<byte[]> response = getResponse(path);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-tar");
        return response.body();
    }

    private HttpResponse<byte[]> getResponse(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
