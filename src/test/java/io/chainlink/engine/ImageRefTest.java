package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
        assertThat(ImageRef.parse("ghcr.io/a/b@sha256:abc")).isEqualTo(new ImageRef("ghcr.io", "ghcr.io/a/b", "sha256:abc"));
    }

    @Test
    void aFirstPartWithoutDotColonOrLocalhostIsADockerHubNamespace() {
        assertThat(ImageRef.parse("team/grader")).isEqualTo(new ImageRef("docker.io", "team/grader", "latest"));
        assertThat(ImageRef.parse("team/grader:1.0")).isEqualTo(new ImageRef("docker.io", "team/grader", "1.0"));
    }
}
