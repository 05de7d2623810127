package io.chainlink.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpUrlTest {

    @Test
    void acceptsAbsoluteHttpAndHttpsUrlsWithAHost() {
        for (String good : List.of("http://127.0.0.1:8080/hooks", "https://hooks.example.org/x?y=1", "HTTP://[::1]:9000/")) {
            assertThat(HttpUrl.Check.parse(good)).as(good).isNotNull();
        }
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : List.of("", "/relative", "hooks.example.org/x", "ftp://hooks.example.org/", "file:///etc/passwd",
                "http:///nohost", "http://user:pw@hooks.example.org/", "http://hooks.example.org/#frag", "http://exa mple.org/",
                "http://127.0.0.1:8080.evil.com/", "javascript:alert(1)")) {
            assertThat(HttpUrl.Check.parse(bad)).as(bad).isNull();
        }
    }
}
