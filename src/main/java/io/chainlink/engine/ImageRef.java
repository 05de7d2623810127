package io.chainlink.engine;

/**
 * An image reference split as the engine's pull wants it: {@code repository} and a tag or digest.
 * {@code 127.0.0.1:5000/team/grader:2} is repository {@code 127.0.0.1:5000/team/grader}, tag
 * {@code 2}, registry {@code 127.0.0.1:5000}; {@code alpine} is {@code alpine:latest} on Docker Hub.
 */
public record ImageRef(String registry, String repository, String tag) {

    public static final String DOCKER_HUB = "docker.io";

    public static ImageRef parse(String reference) {
        String name = reference;
        String tag = "latest";
        int at = reference.indexOf('@');
        if (at >= 0) {
            name = reference.substring(0, at);
            tag = reference.substring(at + 1);
        } else {
            int colon = reference.lastIndexOf(':');
            if (colon > reference.lastIndexOf('/')) {
                name = reference.substring(0, colon);
                tag = reference.substring(colon + 1);
            }
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        return new ImageRef(hasRegistry ? first : DOCKER_HUB, name, tag);
    }
}
