package io.chainlink.files;

/** What is wrong with one field of a submission's files, named as the user wrote it ({@code files[0].path}, {@code files}). */
public record FileProblem(String field, String message) {
}
