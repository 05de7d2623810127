package io.chainlink.policy;

import java.util.List;

/** A submission the client's policy refuses: every rule it breaks, each naming its field as the user wrote it. */
public class PolicyViolationException extends RuntimeException {

    /**
     * @param field   as the user wrote it: {@code stages[0].privileged}
     * @param rule    the policy's name for the rule: {@code privileged}, {@code max-memory}
     * @param message what is refused and for whom: {@code not allowed for client cs101}
     */
    public record Violation(String field, String rule, String message) {

        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final transient List<Violation> violations;

    PolicyViolationException(List<Violation> violations) {
        super(String.join("; ", violations.stream().map(Violation::toString).toList()));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
