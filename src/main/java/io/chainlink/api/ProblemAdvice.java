package io.chainlink.api;

import io.chainlink.auth.ForbiddenException;
import io.chainlink.job.QuotaExceededException;
import io.chainlink.job.JobAlreadyEndedException;
import io.chainlink.job.JobNotFoundException;
import io.chainlink.follow.TooManyFollowersException;
import io.chainlink.job.QueueFullException;
import io.chainlink.job.UnknownPageStartException;
import io.chainlink.policy.PolicyViolationException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error as an RFC 9457 problem. A bad submission answers 400 with {@code errors}: each
 * field by its path as the user wrote it ({@code stages[0].memory}) and what is wrong with it; a
 * bad query parameter likewise by its name. No answer names a Java type: messages are the API's.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final JsonMapper json;

    ProblemAdvice(JsonMapper json) {
        this.json = json;
    }

    record FieldProblem(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "stages[0].memory") String field,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "'lots' is not a size: use bytes or a number with a unit"
                    + " b, k, m or g (e.g. 512m, 2g)") String message) {
    }

    @ExceptionHandler(JobNotFoundException.class)
    ProblemDetail notFound(JobNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** {@code after=} naming no job of the caller's: 400 naming the parameter, as for any bad parameter. */
    @ExceptionHandler(UnknownPageStartException.class)
    ProblemDetail unknownPageStart(UnknownPageStartException e) {
        return badRequest("Invalid request parameters", List.of(new FieldProblem(e.parameter(), e.getMessage())));
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    /** One tenant's quota: it comes back once its jobs start; the other tenants are unaffected. */
    @ExceptionHandler(QuotaExceededException.class)
    ResponseEntity<ProblemDetail> quotaExceeded(QuotaExceededException e) {
        return comeBack(HttpStatus.TOO_MANY_REQUESTS, 5, e.getMessage());
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
        return comeBack(HttpStatus.SERVICE_UNAVAILABLE, 1, e.getMessage());
    }

    @ExceptionHandler(TooManyFollowersException.class)
    ResponseEntity<ProblemDetail> tooManyFollowers(TooManyFollowersException e) {
        return comeBack(HttpStatus.SERVICE_UNAVAILABLE, 5, e.getMessage());
    }

    /** A refusal that passes: the problem, with how many seconds to wait before trying again. */
    private static ResponseEntity<ProblemDetail> comeBack(HttpStatus status, int seconds, String detail) {
        return ResponseEntity.status(status).header(HttpHeaders.RETRY_AFTER, Integer.toString(seconds))
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    /** 403, not 400: the stage is well formed, and another client's policy may allow it. */
    @ExceptionHandler(PolicyViolationException.class)
    ProblemDetail refusedByPolicy(PolicyViolationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        problem.setTitle("Refused by policy");
        problem.setProperty("errors", e.violations());
        return problem;
    }

    /** A bug of ours: logged in full, answered without its Java details. */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("request failed", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the service failed to answer; its log says why");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldProblem::field))
                .toList();
        return ResponseEntity.badRequest().body(badSubmission(problems));
    }

    /**
     * {@code limit=0}, {@code wait=61}: a query parameter out of its bounds, named. A method with
     * bounded parameters has its body validated here too ({@code POST /jobs?wait=}): a body's
     * errors name its fields, as {@link #handleMethodArgumentNotValid} does.
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> body = e.getParameterValidationResults().stream()
                .filter(result -> result instanceof ParameterErrors)
                .flatMap(result -> ((ParameterErrors) result).getFieldErrors().stream())
                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldProblem::field))
                .toList();
        if (!body.isEmpty()) {
            return ResponseEntity.badRequest().body(badSubmission(body));
        }
        List<FieldProblem> problems = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldProblem(result.getMethodParameter().getParameterName(),
                                error.getDefaultMessage())))
                .sorted(Comparator.comparing(FieldProblem::field))
                .toList();
        return ResponseEntity.badRequest().body(badRequest("Invalid request parameters", problems));
    }

    /**
     * {@code limit=abc}: 400 naming the parameter. A path id that is a whole number too large for
     * any id ({@code /jobs/99999999999999999999}) names nothing that can exist: 404, like any other.
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e.getPropertyName();
        Class<?> type = e.getRequiredType();
        if (e instanceof MethodArgumentTypeMismatchException argument) {
            name = argument.getName();
            type = argument.getParameter().nestedIfOptional().getNestedParameterType();
            if (argument.getParameter().hasParameterAnnotation(PathVariable.class)
                    && String.valueOf(e.getValue()).matches("-?\\d+")) {
                return ResponseEntity.status(HttpStatus.NOT_FOUND).body(
                        ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, name + " " + e.getValue() + " not found"));
            }
        }
        String expected = type == null ? "another value" : ExpectedValue.of(type, Enum::name);
        return ResponseEntity.badRequest().body(badRequest("Invalid request parameters",
                List.of(new FieldProblem(String.valueOf(name), "expected " + expected))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestSizeFilter.BodyTooLargeException tooLarge = cause(e, RequestSizeFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
        }
        JacksonException cause = cause(e, JacksonException.class);
        if (cause == null) { // no body at all
            return ResponseEntity.badRequest().body(
                    ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, BodyReadProblem.NOT_A_SUBMISSION));
        }
        BodyReadProblem problem = BodyReadProblem.of(cause, json);
        return ResponseEntity.badRequest().body(problem.aboutTheBody()
                ? ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, problem.message())
                : badSubmission(List.of(new FieldProblem(problem.field(), problem.message()))));
    }

    private static ProblemDetail badSubmission(List<FieldProblem> problems) {
        return badRequest("Invalid job submission", problems);
    }

    private static ProblemDetail badRequest(String title, List<FieldProblem> problems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList()));
        problem.setTitle(title);
        problem.setProperty("errors", problems);
        return problem;
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
