package io.chainlink.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Why Jackson could not read a body, told in the API's words: the field by its path as the user
 * wrote it ({@code stages[0].timeout}, empty for the body itself) and what was expected there.
 * Jackson's own messages name Java types and its settings ({@code java.lang.Double},
 * {@code StreamReadConstraints}), so none of them is passed on.
 */
record BodyReadProblem(String field, String message) {

    static final String NOT_A_SUBMISSION = "the body is not a job submission: expected a JSON object with a list of stages";

    static BodyReadProblem of(JacksonException e, JsonMapper json) {
        String field = path(e.getPath());
        if (field.isEmpty() && e instanceof MismatchedInputException) {
            return new BodyReadProblem(field, NOT_A_SUBMISSION);
        }
        return new BodyReadProblem(field, (field.isEmpty() ? "the body " : "") + reason(e, json));
    }

    /** Not one field's fault: the body as a whole is not JSON, or not a JSON object. */
    boolean aboutTheBody() {
        return field.isEmpty();
    }

    private static String reason(JacksonException e, JsonMapper json) {
        if (e instanceof StreamConstraintsException) {
            StreamReadConstraints limits = json.tokenStreamFactory().streamReadConstraints();
            return "is more than the service reads: JSON nested at most " + limits.getMaxNestingDepth()
                    + " deep, numbers of at most " + limits.getMaxNumberLength() + " digits";
        }
        if (e instanceof UnexpectedEndOfInputException) {
            return "is cut short: the JSON ends" + where(e.getLocation()) + " before it is complete";
        }
        if (e instanceof InputCoercionException) {
            return "is out of range";
        }
        if (e instanceof StreamReadException) {
            // Jackson has no type of its own for a repeated name, only this message; if it changes,
            // the answer is still a 400, only less precise.
            String repeated = Objects.requireNonNullElse(e.getOriginalMessage(), "").startsWith("Duplicate")
                    ? " (a field is given twice)" : "";
            return "is not well-formed JSON in UTF-8" + where(e.getLocation()) + repeated;
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field; known fields are " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException parser) {
            return parser.getMessage(); // MemoryLimit's, Entrypoint's: written for users
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + ExpectedValue.of(mismatch.getTargetType(), constant -> json.valueToTree(constant).asString());
        }
        return "could not be read";
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
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
}
