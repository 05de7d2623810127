package io.chainlink.api;

import io.chainlink.engine.ImageRef;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An image reference the engine can pull and run: {@link ImageRef#parse} is the rule. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ImageReference.Validator.class)
public @interface ImageReference {

    String message() default "is not an image reference";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ImageReference, String> {

        @Override
        public boolean isValid(String image, ConstraintValidatorContext context) {
            return image == null || ParserCheck.passes(() -> ImageRef.parse(image), context);
        }
    }
}
