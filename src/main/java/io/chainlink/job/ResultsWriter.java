package io.chainlink.job;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes chainlink's result list ({@link StageResult}s) as JSON straight from the database. A
 * result holds up to stages x 2 x log-limit bytes of output (64 MB with the defaults), so each log
 * is streamed into its JSON string chunk by chunk rather than built in memory; any number of
 * readers then cost a chunk each. Output that is not valid UTF-8 is replaced (U+FFFD), as chainlink's
 * decode of the logs did.
 */
@Component
class ResultsWriter {

    private final JobRepository repository;
    private final JsonMapper json;

    ResultsWriter(JobRepository repository, JsonMapper json) {
        this.repository = repository;
        this.json = json;
    }

    void write(long job, OutputStream out) {
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartArray();
            for (JobRepository.EndedStage stage : repository.endedStages(job)) {
                generator.writeStartObject();
                generator.writeName("data");
                generator.writeRawValue(stage.state());
                generator.writeBooleanProperty("killed", stage.killed());
                generator.writeBooleanProperty("success", stage.success());
                generator.writeName("logs");
                generator.writeStartObject();
                for (LogStream stream : LogStream.values()) {
                    generator.writeName(stream.key());
                    if (stage.logs()) {
                        writeLog(generator, job, stage.idx(), stream);
                    } else {
                        generator.writeNull();
                    }
                }
                generator.writeEndObject();
                generator.writeEndObject();
            }
            generator.writeEndArray();
        }
    }

    private void writeLog(JsonGenerator generator, long job, int idx, LogStream stream) {
        try (Reader log = new InputStreamReader(repository.openLog(job, idx, stream), StandardCharsets.UTF_8)) {
            generator.writeString(log, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
