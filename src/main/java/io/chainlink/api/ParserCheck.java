package io.chainlink.api;

import jakarta.validation.ConstraintValidatorContext;

/**
 * A value type's parser run as a constraint: one rule in one place ({@code ImageRef.parse}), and
 * its message, written for users, becomes the violation's. Those messages quote no user text, so
 * nothing in them is read as a message template expression.
 */
final class ParserCheck {

    private ParserCheck() {
    }

    static boolean passes(Runnable parse, ConstraintValidatorContext context) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(e.getMessage()).addConstraintViolation();
            return false;
        }
    }
}
