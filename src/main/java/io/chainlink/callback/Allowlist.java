package io.chainlink.callback;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where callbacks may go: URL prefixes compared part by part, not as strings, so that a prefix
 * {@code http://hooks.example} does not let {@code http://hooks.example.evil.net} through.
 */
final class Allowlist {

    private final List<URI> prefixes;

    Allowlist(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(URI::create).toList();
    }

    boolean allows(URI url) {
        return prefixes.stream().anyMatch(prefix -> same(prefix.getScheme(), url.getScheme())
                && same(prefix.getHost(), url.getHost())
                && port(prefix) == port(url)
                && path(url).startsWith(path(prefix)));
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String path(URI uri) {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }
}
