package io.chainlink.stage;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessStringsTest {

    private static final int MAX_ARG_STRLEN = 131_072;

    @Test
    void anArgumentOfAHundredThousandCharactersIsAccepted() {
        assertThatNoException().isThrownBy(() -> new Entrypoint(List.of("sh", "-c", "x".repeat(100_000))));
    }

    @Test
    void theProgramIsAtMostPathMaxLessItsNul() {
        assertThatNoException().isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("/" + "x".repeat(4094), "arg")));
        // One 100,000-character word as the program is what makes runc hang in its create.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("x".repeat(100_000))))
                .withMessage("word 0, the program, is 100000 bytes in UTF-8; it may have at most 4095 (Linux's PATH_MAX less the closing NUL)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("é".repeat(2048))))
                .withMessageStartingWith("word 0, the program, is 4096 bytes");
    }

    @Test
    void aWordUpToMaxArgStrlenLessItsNulIsAccepted() {
        assertThatNoException().isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("sh", "x".repeat(MAX_ARG_STRLEN - 1))));
    }

    @Test
    void aWordOfMaxArgStrlenIsRefusedNamingItsPlace() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("sh", "x".repeat(MAX_ARG_STRLEN))))
                .withMessageStartingWith("word 1 is 131072 bytes in UTF-8; a word may have at most 131071");
    }

    @Test
    void wordsAreMeasuredInUtf8Bytes() {
        String twoBytesEach = "é".repeat(MAX_ARG_STRLEN / 2); // 65536 characters, 131072 bytes
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("sh", twoBytesEach)))
                .withMessageContaining("131072 bytes");
        assertThatNoException().isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("sh", "😀".repeat(32_767))));
    }

    @Test
    void theWholeCommandLineIsBoundedCountingEachWordsNulAndPointer() {
        String word = "x".repeat(1000); // 1009 bytes as execve counts it
        int fitting = ProcessStrings.TOTAL_MAX / 1009;
        assertThatNoException().isThrownBy(() -> ProcessStrings.checkCommandLine(Collections.nCopies(fitting, word)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcessStrings.checkCommandLine(Collections.nCopies(fitting + 1, word)))
                .withMessageContaining("the command line is").withMessageContaining("at most 262144");
    }

    @Test
    void manyEmptyWordsCountTheirPointers() {
        // 30,000 empty words are 30,000 NULs but 270,000 bytes with their pointers: past the share.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcessStrings.checkCommandLine(Collections.nCopies(30_000, "")));
    }

    @Test
    void aNulOrHalfASurrogatePairIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("a\0b")))
                .withMessageContaining("NUL");
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkCommandLine(List.of("a\uD800")))
                .withMessageContaining("surrogate");
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkEnvironment(Map.of("A", "\uDC00x")))
                .withMessageContaining("surrogate");
    }

    @Test
    void aVariableIsBoundedAsNameEqualsValue() {
        String value = "v".repeat(MAX_ARG_STRLEN - 1 - "AB=".length());
        assertThatNoException().isThrownBy(() -> ProcessStrings.checkEnvironment(Map.of("AB", value)));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkEnvironment(Map.of("ABC", value)))
                .withMessageStartingWith("a variable is 131072 bytes as NAME=value");
    }

    @Test
    void theWholeEnvironmentIsBounded() {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; env.size() < 300; i++) {
            env.put("V" + i, "x".repeat(1000));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkEnvironment(env))
                .withMessageContaining("the variables are").withMessageContaining("at most 262144");
    }

    @Test
    void namesAreNonEmptyWithoutEqualsAndNothingHoldsNul() {
        for (Map<String, String> env : List.of(Map.of("", "x"), Map.of("A=B", "x"), Map.of("A\0", "x"), Map.of("A", "\0"))) {
            assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkEnvironment(env))
                    .withMessageContaining("names must be non-empty");
        }
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("A", null);
        assertThatIllegalArgumentException().isThrownBy(() -> ProcessStrings.checkEnvironment(nullValue));
    }
}
