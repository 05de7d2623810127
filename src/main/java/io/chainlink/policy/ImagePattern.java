package io.chainlink.policy;

import java.util.regex.Pattern;

/**
 * A glob over image references as the stage writes them: {@code *} is any run of characters
 * within one path part (no {@code /}), {@code **} any run at all, {@code ?} one character other
 * than {@code /}. {@code registry.example.edu/cs101/*} matches {@code registry.example.edu/cs101/grader:2}
 * and {@code registry.example.edu/cs101/grader@sha256:...}, not {@code registry.example.edu/cs101/a/b}.
 *
 * <p>References are matched as written, not as the engine completes them ({@code alpine} is
 * {@code docker.io/library/alpine:latest} to the engine): a pattern can only be missed by a
 * spelling it did not foresee, which refuses, never admits, an image.
 */
record ImagePattern(String glob, Pattern regex) {

    static ImagePattern of(String glob) {
        if (glob == null || glob.isBlank() || glob.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an image pattern must be a glob such as registry.example.edu/cs101/*; got '" + glob + "'");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new ImagePattern(glob, Pattern.compile(regex.toString()));
    }

    boolean matches(String image) {
        return regex.matcher(image).matches();
    }
}
