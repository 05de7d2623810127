package io.chainlink.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowlistTest {

    private final Allowlist allowlist = new Allowlist(List.of("https://hooks.example.org/chainlink/", "http://127.0.0.1:8081"));

    private boolean allows(String url) {
        return allowlist.allows(URI.create(url));
    }

    @Test
    void allowsUrlsUnderAPrefix() {
        assertThat(allows("https://hooks.example.org/chainlink/cs101?x=1")).isTrue();
        assertThat(allows("https://HOOKS.example.org:443/chainlink/")).isTrue();
        assertThat(allows("http://127.0.0.1:8081/anything")).isTrue();
        assertThat(allows("http://127.0.0.1:8081")).isTrue();
    }

    @Test
    void refusesWhatOnlyLooksLikeAPrefixAsText() {
        assertThat(allows("https://hooks.example.org.evil.net/chainlink/")).isFalse();
        assertThat(allows("http://127.0.0.1:80812/")).isFalse();
        assertThat(allows("http://hooks.example.org/chainlink/")).as("another scheme").isFalse();
        assertThat(allows("https://hooks.example.org:8443/chainlink/")).as("another port").isFalse();
        assertThat(allows("https://hooks.example.org/other/")).isFalse();
    }

    @Test
    void anEmptyListAllowsNothing() {
        assertThat(new Allowlist(List.of()).allows(URI.create("http://127.0.0.1/"))).isFalse();
    }
}
