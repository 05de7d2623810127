package io.chainlink.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a value should have been, in the API's words ("a number", "true or false"): an error names
 * the JSON or query type a user can write, never the Java type the service reads it into.
 */
final class ExpectedValue {

    private ExpectedValue() {
    }

    /**
     * @param enumName how a constant is written where the value came from: Jackson's name in a
     *                 body ({@code if-not-present}), the constant's own in a query parameter
     */
    static String of(Class<?> type, Function<Enum<?>, String> enumName) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
            return "a whole number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> enumName.apply((Enum<?>) constant))
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        return "an object";
    }
}
