package io.chainlink.files;

import java.util.List;

/** A submission whose files cannot be placed: each problem names its field. Nothing was stored. */
public class FilesRejectedException extends RuntimeException {

    private final List<FileProblem> problems;

    FilesRejectedException(List<FileProblem> problems) {
        super(String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList()));
        this.problems = List.copyOf(problems);
    }

    FilesRejectedException(String field, String message) {
        this(List.of(new FileProblem(field, message)));
    }

    /** The same problems, their fields named from an enclosing one ({@code jobs[3].} + {@code files[0].path}). */
    FilesRejectedException within(String prefix) {
        return new FilesRejectedException(problems.stream().map(p -> new FileProblem(prefix + p.field(), p.message())).toList());
    }

    public List<FileProblem> problems() {
        return problems;
    }
}
