package dev.tuntcp.wire;

/**
 * The outcome of parsing into a value type (the allocating path used by tests and traces): either a
 * value and {@link ParseError#NONE}, or no value and the reason.
 */
public record ParseResult<T>(T value, ParseError error) {
    public ParseResult {
        if ((value == null) == (error == ParseError.NONE)) {
            throw new IllegalArgumentException("a result holds a value exactly when error is NONE");
        }
    }

    public static <T> ParseResult<T> ok(T value) {
        return new ParseResult<>(value, ParseError.NONE);
    }

    public static <T> ParseResult<T> error(ParseError error) {
        return new ParseResult<>(null, error);
    }

    public boolean isOk() {
        return error == ParseError.NONE;
    }

    /**
     * The value, for callers that know the input is good (tests, fixtures).
     *
     * @throws IllegalStateException naming the parse error if there is no value
     */
    public T orThrow() {
        if (value == null) {
            throw new IllegalStateException("parse failed: " + error);
        }
        return value;
    }
}
