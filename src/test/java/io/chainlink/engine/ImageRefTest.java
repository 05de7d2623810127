package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

    @Test
    void aBareNameIsTheLatestTagOnDockerHub() {
        assertThat(ImageRef.parse("alpine")).isEqualTo(new ImageRef("docker.io", "alpine", "latest"));
    }

    @Test
    void aTagFollowsTheLastColon() {
        assertThat(ImageRef.parse("alpine:3.5")).isEqualTo(new ImageRef("docker.io", "alpine", "3.5"));
    }

    @Test
    void aHostWithAPortIsTheRegistryAndStaysInTheRepository() {
        assertThat(ImageRef.parse("127.0.0.1:5000/team/grader:2"))
                .isEqualTo(new ImageRef("127.0.0.1:5000", "127.0.0.1:5000/team/grader", "2"));
    }

    @Test
    void theRegistryPortIsNotMistakenForATag() {
        assertThat(ImageRef.parse("127.0.0.1:5000/team/grader"))
                .isEqualTo(new ImageRef("127.0.0.1:5000", "127.0.0.1:5000/team/grader", "latest"));
    }

    @Test
    void localhostIsARegistryEvenWithoutDotOrPort() {
        assertThat(ImageRef.parse("localhost/x")).isEqualTo(new ImageRef("localhost", "localhost/x", "latest"));
    }

    @Test
    void aDigestTakesThePlaceOfTheTag() {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        assertThat(ImageRef.parse("ghcr.io/a/b@" + digest)).isEqualTo(new ImageRef("ghcr.io", "ghcr.io/a/b", digest));
        assertThat(ImageRef.parse("ghcr.io/a/b:1.0@" + digest)).isEqualTo(new ImageRef("ghcr.io", "ghcr.io/a/b", digest));
    }

    @ParameterizedTest(name = "{0} is a reference")
    @ValueSource(strings = {"alpine", "alpine:3.5", "library/alpine:latest", "team/grader_v2:2024-01-01",
            "a.b/c", "a__b/c--d/e.f", "localhost:5000/x", "[::1]:5000/x:y", "Registry.Example.EDU/x",
            "chainlink-test/busybox:latest", "x:_tag", "alpine@sha256:0123456789abcdef0123456789abcdef"})
    void referencesOfTheGrammarAreRead(String reference) {
        assertThatNoException().isThrownBy(() -> ImageRef.parse(reference));
    }

    static Stream<Arguments> brokenReferences() {
        return Stream.of(
                Arguments.of("", "must name an image"),
                Arguments.of("  ", "repository"),
                Arguments.of("Alpine", "repository"),
                Arguments.of("alpine:", "tag"),
                Arguments.of("alpine:-x", "tag"),
                Arguments.of("alpine:" + "t".repeat(129), "tag"),
                Arguments.of("alpine@sha256:abc", "digest"),
                Arguments.of("alpine@sha256:" + "a".repeat(129), "digest"),
                Arguments.of("alpine@", "digest"),
                Arguments.of("-x/y", "repository"),
                Arguments.of("-x.io/y", "registry"),
                Arguments.of("a_b.c:5000/x", "registry"),
                Arguments.of("x//y", "repository"),
                Arguments.of("x/y/", "repository"),
                Arguments.of("a..b", "repository"),
                Arguments.of("a___b", "repository"),
                Arguments.of("a b", "repository"),
                Arguments.of("al\0pine", "repository"),
                Arguments.of("a".repeat(256), "at most 255"),
                Arguments.of("ghcr.io/" + "a".repeat(248), "at most 255"));
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @MethodSource("brokenReferences")
    void referencesOutsideTheGrammarAreRefusedNamingThePart(String reference, String part) {
        assertThatIllegalArgumentException().isThrownBy(() -> ImageRef.parse(reference))
                .withMessageStartingWith("is not an image reference: ").withMessageContaining(part);
    }

    @Test
    void aFirstPartWithoutDotColonOrLocalhostIsADockerHubNamespace() {
        assertThat(ImageRef.parse("team/grader")).isEqualTo(new ImageRef("docker.io", "team/grader", "latest"));
        assertThat(ImageRef.parse("team/grader:1.0")).isEqualTo(new ImageRef("docker.io", "team/grader", "1.0"));
    }
}
