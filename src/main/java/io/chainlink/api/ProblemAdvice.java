package io.chainlink.api;

import io.chainlink.job.InvalidSubmissionException;
import io.chainlink.job.JobAlreadyEndedException;
import io.chainlink.job.JobNotFoundException;
import io.chainlink.job.QueueFullException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error as an RFC 9457 problem. A bad submission answers 400 with {@code errors}: each
 * field by its path as the user wrote it ({@code stages[0].memory}) and what is wrong with it.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    record FieldProblem(String field, String message) {
    }

    @ExceptionHandler(JobNotFoundException.class)
    ProblemDetail notFound(JobNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** {@code status} is RFC 9457's own member, the HTTP status: the job's status needs a name of its own. */
    @ExceptionHandler(JobAlreadyEndedException.class)
    ProblemDetail alreadyEnded(JobAlreadyEndedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setProperty("jobStatus", e.job().status());
        return problem;
    }

    @ExceptionHandler(LogsNotKeptException.class)
    ProblemDetail logsNotKept(LogsNotKeptException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** The queue frees up as workers claim jobs; a client should come back, not give up. */
    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    @ExceptionHandler(InvalidSubmissionException.class)
    ProblemDetail invalid(InvalidSubmissionException e) {
        return badRequest(List.of(new FieldProblem(e.field(), e.getMessage())));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                .sorted(java.util.Comparator.comparing(FieldProblem::field))
                .toList();
        return ResponseEntity.badRequest().body(badRequest(problems));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestSizeFilter.BodyTooLargeException tooLarge = cause(e, RequestSizeFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
        }
        JacksonException json = cause(e, JacksonException.class);
        ProblemDetail problem;
        if (json == null || json.getPath().isEmpty()) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "the body is not a JSON job submission" + (json == null ? "" : ": " + json.getOriginalMessage()));
        } else {
            String field = path(json.getPath());
            String message = json instanceof UnrecognizedPropertyException
                    ? "unknown field"
                    : reason(json);
            problem = badRequest(List.of(new FieldProblem(field, message)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    private static ProblemDetail badRequest(List<FieldProblem> problems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList()));
        problem.setTitle("Invalid job submission");
        problem.setProperty("errors", problems);
        return problem;
    }

    /** The message a value's parser gave (MemoryLimit, Entrypoint), else Jackson's own. */
    private static String reason(JacksonException e) {
        IllegalArgumentException parser = cause(e, IllegalArgumentException.class);
        return parser != null ? parser.getMessage() : "has the wrong type: " + e.getOriginalMessage();
    }

    /** {@code stages[0].memory}, from Jackson's path of the value that failed. */
    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

}
