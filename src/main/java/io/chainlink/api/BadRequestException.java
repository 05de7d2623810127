package io.chainlink.api;

/** A request the controller itself refuses, naming the field or parameter in the API's words: 400. */
class BadRequestException extends RuntimeException {

    private final String title;
    private final String field;

    private BadRequestException(String title, String field, String message) {
        super(message);
        this.title = title;
        this.field = field;
    }

    /** A query parameter: {@code ids}. */
    static BadRequestException parameter(String name, String message) {
        return new BadRequestException("Invalid request parameters", name, message);
    }

    /** A field of the body: {@code jobs}. */
    static BadRequestException submission(String field, String message) {
        return new BadRequestException("Invalid job submission", field, message);
    }

    String title() {
        return title;
    }

    String field() {
        return field;
    }
}
