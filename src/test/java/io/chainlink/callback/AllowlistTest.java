package io.chainlink.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowlistTest {

    private final Allowlist allowlist = new Allowlist(List.of("https://hooks.example.org/chainlink/", "http://127.0.0.1:8080",
            "http://grader.internal/hooks"));

    private boolean allows(String url) {
        return allowlist.allows(URI.create(url));
    }

    @Test
    void allowsUrlsUnderAPrefix() {
        assertThat(allows("https://hooks.example.org/chainlink/cs101?x=1")).isTrue();
        assertThat(allows("https://HOOKS.example.org:443/chainlink/")).as("host case, default port written").isTrue();
        assertThat(allows("http://127.0.0.1:8080/anything")).isTrue();
        assertThat(allows("http://127.0.0.1:8080")).isTrue();
        assertThat(allows("http://grader.internal/hooks")).isTrue();
        assertThat(allows("http://grader.internal:80/hooks/cs101")).isTrue();
    }

    @Test
    void refusesWhatOnlyLooksLikeAPrefixAsText() {
        assertThat(allows("https://hooks.example.org.evil.net/chainlink/")).isFalse();
        assertThat(allows("http://127.0.0.1:8080.evil.com/")).as("a host that starts with the prefix's host and port").isFalse();
        assertThat(allows("http://127.0.0.1:80801/")).isFalse();
        assertThat(allows("http://127.0.0.1:8080@evil.com/")).as("the prefix as user info").isFalse();
        assertThat(allows("http://evil.com#@127.0.0.1:8080/")).isFalse();
        assertThat(allows("http://127.0.0.1:8081/")).as("another port").isFalse();
        assertThat(allows("http://127.0.0.1/")).as("the default port is another port").isFalse();
        assertThat(allows("http://hooks.example.org/chainlink/")).as("another scheme").isFalse();
        assertThat(allows("https://hooks.example.org:8443/chainlink/")).as("another port").isFalse();
        assertThat(allows("https://hooks.example.org/other/")).isFalse();
        assertThat(allows("https://hooks.example.org/chainlink")).as("above the prefix's path").isFalse();
        assertThat(allows("http://grader.internal/hooksmith")).as("a path that only starts with the prefix's as text").isFalse();
    }

    @Test
    void refusesPathsThatLeaveThePrefixOnceResolved() {
        assertThat(allows("https://hooks.example.org/chainlink/../admin")).isFalse();
        assertThat(allows("https://hooks.example.org/chainlink/%2e%2e/admin")).isFalse();
        assertThat(allows("https://hooks.example.org/chainlink/./x")).isFalse();
        assertThat(allows("http://grader.internal/hooks/..")).isFalse();
    }

    @Test
    void anEmptyListAllowsNothing() {
        assertThat(new Allowlist(List.of()).allows(URI.create("http://127.0.0.1/"))).isFalse();
    }

    @Test
    void aPrefixThatIsNoHttpUrlStopsTheStartNamingTheSetting() {
        for (String bad : List.of("127.0.0.1:8080", "ftp://files.example/", "http://user@hooks.example/", "http://hooks.example/?a=b",
                "not a url", "http:///nohost")) {
            assertThatThrownBy(() -> new Allowlist(List.of("http://ok.example/", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chainlink.callbacks.allowed-urls[1]");
        }
    }
}
