package io.chainlink.api;

import io.chainlink.stage.Capabilities;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A Linux capability's name: {@link Capabilities#parse} is the rule. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CapabilityName.Validator.class)
public @interface CapabilityName {

    String message() default "is not a capability name";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<CapabilityName, String> {

        @Override
        public boolean isValid(String name, ConstraintValidatorContext context) {
            return name == null || ParserCheck.passes(() -> Capabilities.parse(name), context);
        }
    }
}
