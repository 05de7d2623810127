package io.chainlink.api;

import io.chainlink.stage.ProcessStrings;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Environment variables a process can be given: {@link ProcessStrings#checkEnvironment} says which. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Environment.Validator.class)
public @interface Environment {

    String message() default "is not an environment a process can be given";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Environment, Map<String, String>> {

        @Override
        public boolean isValid(Map<String, String> env, ConstraintValidatorContext context) {
            return env == null || ParserCheck.passes(() -> ProcessStrings.checkEnvironment(env), context);
        }
    }
}
