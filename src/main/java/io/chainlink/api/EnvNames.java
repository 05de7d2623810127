package io.chainlink.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Environment variable names are non-empty and hold no '='; values are strings; neither holds NUL. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = EnvNames.Validator.class)
public @interface EnvNames {

    String message() default "names must be non-empty and contain no '=', values must be strings, and neither may contain NUL";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<EnvNames, Map<String, String>> {

        @Override
        public boolean isValid(Map<String, String> env, ConstraintValidatorContext context) {
            return env == null || env.entrySet().stream()
                    .allMatch(e -> !e.getKey().isEmpty() && e.getKey().indexOf('=') < 0 && e.getValue() != null
                            && e.getKey().indexOf('\0') < 0 && e.getValue().indexOf('\0') < 0);
        }
    }
}
