package io.chainlink.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one rule for a path in /job, as a submission's JSON names it and as a tar's entry does. */
class FilePathTest {

    private static final int MAX = 1024;

    @ParameterizedTest
    @ValueSource(strings = {"main.py", "src/main.py", "a/b/c/d.txt", ".hidden", "a/.b", "..a", "a..", "a/b..c", "with space", "ünïcode"})
    void relativePathsOfPlainSegmentsAreTaken(String path) {
        assertThat(FilePath.check(path, MAX)).isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "..|'..' segment",
            "../x|'..' segment",
            "a/../b|'..' segment",
            "a/..|'..' segment",
            "/etc/passwd|not absolute",
            "/|not absolute",
            "a//b|empty or '.' segment",
            "a/|empty or '.' segment",
            "./a|empty or '.' segment",
            "a/./b|empty or '.' segment",
            ".|empty or '.' segment"})
    void pathsThatCouldLeaveSlashJobOrAreNotOneNameAreRefused(String path, String why) {
        assertThatThrownBy(() -> FilePath.check(path, MAX)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }

    @Test
    void emptyNulAndLongPathsAreRefused() {
        assertThatThrownBy(() -> FilePath.check("", MAX)).hasMessageContaining("is required");
        assertThatThrownBy(() -> FilePath.check(null, MAX)).hasMessageContaining("is required");
        assertThatThrownBy(() -> FilePath.check("a\0b", MAX)).hasMessageContaining("NUL");
        assertThatThrownBy(() -> FilePath.check("a/" + "b".repeat(256), MAX)).hasMessageContaining("255");
        assertThat(FilePath.check("b".repeat(255), MAX)).hasSize(255);
        assertThatThrownBy(() -> FilePath.check("ab/cd", 4)).hasMessageContaining("at most 4 bytes");
        assertThatThrownBy(() -> FilePath.check("ü/ü", 4)).as("bytes, not characters").hasMessageContaining("at most 4 bytes");
    }

    @Test
    void tarEntryNamesLoseTheirDotSlashAndTrailingSlashAndTheRootIsNoPath() {
        assertThat(FilePath.ofEntry("./src/", MAX)).isEqualTo("src");
        assertThat(FilePath.ofEntry("src/main.py", MAX)).isEqualTo("src/main.py");
        assertThat(FilePath.ofEntry("./", MAX)).isNull();
        assertThat(FilePath.ofEntry(".", MAX)).isNull();
        assertThatThrownBy(() -> FilePath.ofEntry("./../x", MAX)).hasMessageContaining("'..'");
        assertThatThrownBy(() -> FilePath.ofEntry("/abs", MAX)).hasMessageContaining("absolute");
    }

    @Test
    void parentsAreTheDirectoriesAboveOutermostFirst() {
        assertThat(FilePath.parents("a/b/c")).isEqualTo(List.of("a", "a/b"));
        assertThat(FilePath.parents("a")).isEmpty();
    }
}
