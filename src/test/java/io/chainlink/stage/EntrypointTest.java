package io.chainlink.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntrypointTest {

    @Test
    void singleQuotesKeepSpacesInsideOneWord() {
        assertThat(Entrypoint.split("sh -c 'echo a b'")).containsExactly("sh", "-c", "echo a b");
    }

    @Test
    void doubleQuotesKeepSpacesInsideOneWord() {
        assertThat(Entrypoint.split("sh -c \"echo a b\" last")).containsExactly("sh", "-c", "echo a b", "last");
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertThat(Entrypoint.split("echo '$HOME \\n \"x\"'")).containsExactly("echo", "$HOME \\n \"x\"");
    }

    @Test
    void insideDoubleQuotesABackslashEscapesOnlyDollarBacktickQuoteAndBackslash() {
        assertThat(Entrypoint.split("echo \"say \\\"hi\\\" \\$HOME \\` \\\\ \\n\""))
                .containsExactly("echo", "say \"hi\" $HOME ` \\ \\n");
    }

    @Test
    void outsideQuotesABackslashEscapesTheNextCharacter() {
        assertThat(Entrypoint.split("touch a\\ b \\'c\\' \\\"d\\\" e\\\\f"))
                .containsExactly("touch", "a b", "'c'", "\"d\"", "e\\f");
    }

    @Test
    void nothingIsExpanded() {
        assertThat(Entrypoint.split("echo $HOME ~ * `id` $(id) a;b")).containsExactly("echo", "$HOME", "~", "*", "`id`", "$(id)", "a;b");
    }

    @Test
    void adjacentQuotedAndUnquotedPartsMakeOneWord() {
        assertThat(Entrypoint.split("a'b c'd")).containsExactly("ab cd");
        assertThat(Entrypoint.split("x\"y z\"'w v'u")).containsExactly("xy zw vu");
    }

    @Test
    void runsOfWhitespaceSeparateWordsOnce() {
        assertThat(Entrypoint.split("  sh   -c\t\techo \n x  ")).containsExactly("sh", "-c", "echo", "x");
    }

    @Test
    void emptyQuotesMakeAnEmptyWord() {
        assertThat(Entrypoint.split("printf '' x")).containsExactly("printf", "", "x");
        assertThat(Entrypoint.split("printf \"\"")).containsExactly("printf", "");
        assertThat(Entrypoint.split("''")).containsExactly("");
    }

    @Test
    void aBlankLineHasNoWords() {
        assertThat(Entrypoint.split("")).isEmpty();
        assertThat(Entrypoint.split("   ")).isEmpty();
    }

    @Test
    void anUnbalancedSingleQuoteIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.split("sh -c 'oops"))
                .withMessage("unbalanced single quote in \"sh -c 'oops\"");
    }

    @Test
    void anUnbalancedDoubleQuoteIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.split("sh -c \"oops"))
                .withMessage("unbalanced double quote in \"sh -c \"oops\"");
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.split("echo \"a\\\""))
                .withMessageContaining("unbalanced double quote");
    }

    @Test
    void jsonStringIsSplitIntoWords() {
        assertThat(Entrypoint.fromJson("sh -c 'echo a b'").words()).containsExactly("sh", "-c", "echo a b");
    }

    @Test
    void jsonListIsKeptAsIs() {
        List<String> words = List.of("sh", "-c", "echo  'a b'  \"$X\"", "");
        assertThat(Entrypoint.fromJson(words).words()).isEqualTo(words);
    }

    @Test
    void jsonListWithSomethingOtherThanStringsIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(List.of("sh", 1)))
                .withMessage("must be a list of strings or one command line string");
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(Arrays.asList("sh", null)))
                .withMessage("must be a list of strings or one command line string");
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(List.of(List.of("sh"))))
                .withMessage("must be a list of strings or one command line string");
    }

    @Test
    void jsonOfAnotherTypeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(42))
                .withMessage("must be a list of strings or one command line string");
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(Map.of("sh", "-c")))
                .withMessage("must be a list of strings or one command line string");
    }

    @Test
    void anEntrypointThatNamesNoProgramIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(List.of()))
                .withMessageContaining("must name a program");
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson(""))
                .withMessageContaining("must name a program");
        assertThatIllegalArgumentException().isThrownBy(() -> Entrypoint.fromJson("   "))
                .withMessageContaining("must name a program");
    }

    @Test
    void theWordsCannotBeChangedAfterwards() {
        List<String> words = new java.util.ArrayList<>(List.of("true"));
        Entrypoint entrypoint = new Entrypoint(words);
        words.add("extra");
        assertThat(entrypoint.words()).containsExactly("true");
    }
}
