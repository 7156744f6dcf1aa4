package dev.budgetmeter.cycles;

import java.util.Objects;

/**
 * A credential, such as a Cycles API key, that never shows in a log line, an exception message or a
 * {@code toString()}: only {@link #reveal()} returns it, for the one header that needs it.
 */
public final class Secret {

    private final String value;

    private Secret(final String value) {
        this.value = value;
    }

    /** @throws IllegalArgumentException when blank (without echoing it) */
    public static Secret of(final String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new Secret(value.strip());
    }

    /** The value itself, for the request header only. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Secret that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
