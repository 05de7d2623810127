package io.chainlink.engine;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference split as the engine's pull wants it: {@code repository} and a tag or digest.
 * {@code 127.0.0.1:5000/team/grader:2} is repository {@code 127.0.0.1:5000/team/grader}, tag
 * {@code 2}, registry {@code 127.0.0.1:5000}; {@code alpine} is {@code alpine:latest} on Docker Hub.
 *
 * <p>Only references of the distribution project's grammar are read, the grammar the engine
 * itself parses with: {@code [host[:port]/]path[:tag][@algorithm:hex]}.
 */
public record ImageRef(String registry, String repository, String tag) {

    public static final String DOCKER_HUB = "docker.io";

    /** The grammar's limit on a name, its registry host included. */
    static final int NAME_MAX = 255;

    /** The grammar sets no upper bound; sha512, the longest digest the engine knows, has 128. */
    static final int DIGEST_HEX_MAX = 128;

    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:(?:[._]|__|-+)" + ALPHANUMERIC + ")*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern HOST = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32," + DIGEST_HEX_MAX + "}");

    /**
     * @throws IllegalArgumentException naming the part that breaks the grammar, in words a user
     *                                  can act on; never quoting the reference itself
     */
    public static ImageRef parse(String reference) {
        String name = reference;
        String tag = "latest";
        int at = reference.indexOf('@');
        if (at >= 0) {
            name = reference.substring(0, at);
            tag = reference.substring(at + 1);
            require(DIGEST.matcher(tag).matches(),
                    "the digest after '@' must be algorithm:hex with 32 to " + DIGEST_HEX_MAX
                            + " hex digits, e.g. sha256: followed by 64");
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            String named = name.substring(colon + 1);
            require(TAG.matcher(named).matches(), "the tag after ':' must be 1 to 128 letters, digits, '_', '.' or '-',"
                    + " not starting with '.' or '-'");
            name = name.substring(0, colon);
            tag = at >= 0 ? tag : named; // name:tag@digest pulls the digest; the tag only documents it
        }
        require(!name.isEmpty(), "must name an image, e.g. alpine:3.5");
        require(name.length() <= NAME_MAX, "the name before the tag may have at most " + NAME_MAX + " characters");
        // As the engine splits it: a first part that looks like a host is the registry.
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT));
        if (hasRegistry) {
            require(HOST.matcher(first).matches(), "the registry before the first '/' must be a host name or address,"
                    + " with an optional :port");
        }
        require(PATH.matcher(hasRegistry ? name.substring(slash + 1) : name).matches(),
                "the repository must be lowercase letters and digits in parts separated by '/',"
                        + " joined within a part by '.', '_', '__' or dashes");
        return new ImageRef(hasRegistry ? first : DOCKER_HUB, name, tag);
    }

    private static void require(boolean rule, String otherwise) {
        if (!rule) {
            throw new IllegalArgumentException("is not an image reference: " + otherwise);
        }
    }
}
