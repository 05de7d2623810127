package io.chainlink.stage;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage's entrypoint: a list of strings, or one string split into words the way a POSIX shell
 * splits them (quotes respected, nothing expanded, no shell started), as the Docker SDK for
 * Python does with {@code shlex.split}.
 */
@Schema(description = "A program and its arguments: a list of strings, or one string split into words as a POSIX"
        + " shell splits them (quotes respected, nothing expanded, no shell started)",
        oneOf = {String[].class, String.class}, example = "[\"sh\", \"-c\", \"echo a b\"]")
public record Entrypoint(@Schema(hidden = true) List<String> words) {

    public Entrypoint {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("must name a program: an empty entrypoint would run nothing");
        }
        ProcessStrings.checkCommandLine(words);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Entrypoint fromJson(Object value) {
        if (value instanceof String line) {
            return new Entrypoint(split(line));
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return new Entrypoint(list.stream().map(String.class::cast).toList());
        }
        throw new IllegalArgumentException("must be a list of strings or one command line string");
    }

    /** POSIX shell word splitting without expansion: single quotes, double quotes and backslashes. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unbalanced single quote in \"" + line + "\"");
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i = readDoubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw new IllegalArgumentException("nothing follows the last backslash in \"" + line + "\"");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Reads up to the closing double quote; returns its index. Backslash escapes only {@code $ ` " \}. */
    private static int readDoubleQuoted(String line, int from, StringBuilder word) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw new IllegalArgumentException("unbalanced double quote in \"" + line + "\"");
    }
}
