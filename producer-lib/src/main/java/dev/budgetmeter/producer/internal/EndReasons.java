package dev.budgetmeter.producer.internal;

/** The reasons of End events: at most 256 characters, as the protocol's release reason. */
public final class EndReasons {

    public static final int MAX_LENGTH = 256;
    public static final String CLOSED_WITHOUT_COMPLETION = "closed without completion";
    public static final String METER_CLOSED = "meter closed";

    private EndReasons() {
    }

    /** The reason a failure gives: its type and message, for example {@code IOException: connection reset}. */
    public static String of(final Throwable cause) {
        if (cause == null) {
            return null;
        }
        final String message = cause.getMessage();
        final String type = cause.getClass().getSimpleName();
        return truncate(message == null || message.isBlank() ? type : type + ": " + message);
    }

    /** At most {@link #MAX_LENGTH} characters, never splitting a surrogate pair. */
    public static String truncate(final String reason) {
        if (reason == null || reason.length() <= MAX_LENGTH) {
            return reason;
        }
        final int end = Character.isHighSurrogate(reason.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return reason.substring(0, end);
    }
}
