package io.chainlink.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where callbacks may go: URL prefixes compared part by part as parsed, not as strings, so that a
 * prefix {@code http://hooks.example} does not let {@code http://hooks.example.evil.net} (nor
 * {@code http://hooks.example@evil.net}) through. The URL is parsed by the same {@link URI} that
 * the HTTP client sends it by, so both see the same host.
 */
final class Allowlist {

    private final List<URI> prefixes;

    /** @throws IllegalArgumentException naming the setting, for a prefix that is no http(s) URL with a host */
    Allowlist(List<String> prefixes) {
        List<URI> parsed = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            parsed.add(prefix("chainlink.callbacks.allowed-urls[" + i + "]", prefixes.get(i)));
        }
        this.prefixes = List.copyOf(parsed);
    }

    private static URI prefix(String setting, String value) {
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || hasDotSegment(uri)) {
                throw new IllegalArgumentException(setting + " must be an http or https URL with a host, and without"
                        + " user info, query, fragment or . and .. segments: " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a URL: " + value, e);
        }
    }

    boolean isEmpty() {
        return prefixes.isEmpty();
    }

    boolean allows(URI url) {
        return !hasDotSegment(url) && url.getRawUserInfo() == null
                && prefixes.stream().anyMatch(prefix -> same(prefix.getScheme(), url.getScheme())
                        && same(prefix.getHost(), url.getHost())
                        && port(prefix) == port(url)
                        && underPath(path(prefix), path(url)));
    }

    /**
     * A prefix's path covers itself and what lies below it: {@code /hooks} covers {@code /hooks}
     * and {@code /hooks/a}, not {@code /hooksmith}. Raw (still encoded) paths: an encoded letter
     * that would match once decoded is refused, the safe way round.
     */
    private static boolean underPath(String prefix, String path) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /**
     * {@code /hooks/../admin}: under the prefix as written, elsewhere once the receiver resolves it;
     * decoded, so that {@code %2e%2e} counts too.
     */
    private static boolean hasDotSegment(URI uri) {
        String path = uri.getPath();
        return path != null && Arrays.stream(path.split("/", -1)).anyMatch(segment -> segment.equals(".") || segment.equals(".."));
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
