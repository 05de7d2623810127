package io.chainlink.engine;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a stage ran, as its view shows it and a regrade pins it: the image's repo digest
 * ({@code name@sha256:...}, pullable from the registry it came from) when the engine knows one in
 * the stage's own repository, else the image id ({@code sha256:...}), which only this engine has.
 *
 * <p>Only a repo digest of the repository the stage named counts: an image tagged locally under
 * another name has its source's digests, and a pin to those would name another repository than
 * the one the stage's policy allowed. Names are compared as the engine completes them
 * ({@code alpine} is {@code docker.io/library/alpine}), since it lists Docker Hub's images by their
 * short names whatever a stage wrote.
 */
public final class ImageDigest {

    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");

    private ImageDigest() {
    }

    /** Whether a reference is an image id, {@code sha256:} and 64 hex digits, as the engine names images. */
    public static boolean isImageId(String reference) {
        return IMAGE_ID.matcher(reference).matches();
    }

    /**
     * @param asked       the image as the stage named it
     * @param imageId     the id of the image its container runs
     * @param repoDigests that image's repo digests, as the engine's inspect lists them
     */
    static String of(String asked, String imageId, List<String> repoDigests) {
        String repository = completed(ImageRef.parse(asked).repository());
        return repoDigests.stream()
                .filter(digest -> digest.indexOf('@') > 0 && completed(digest.substring(0, digest.indexOf('@'))).equals(repository))
                .findFirst()
                .orElse(imageId);
    }

    /**
     * A regrade's reference for a stage that asked for {@code asked} and ran {@code digest}, a
     * repo digest in its repository: {@code asked}'s repository as the stage wrote it, and the
     * digest, so that image globs written for the stage's spelling still match.
     */
    public static String pinned(String asked, String digest) {
        return ImageRef.parse(asked).repository() + digest.substring(digest.indexOf('@'));
    }

    /** {@code alpine} and {@code library/alpine} as {@code docker.io/library/alpine}: the engine's full name. */
    private static String completed(String repository) {
        String name = repository.startsWith("index.docker.io/") ? "docker.io/" + repository.substring("index.docker.io/".length()) : repository;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (!hasRegistry) {
            name = "docker.io/" + (name.contains("/") ? name : "library/" + name);
        } else if (name.startsWith("docker.io/") && name.indexOf('/', "docker.io/".length()) < 0) {
            name = "docker.io/library/" + name.substring("docker.io/".length());
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
