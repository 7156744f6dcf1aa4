package dev.budgetmeter.localstack.internal;

/**
 * The loopback interface, the only address every part of the local stack listens on, so nothing of it is reachable
 * from other machines.
 */
public final class Loopback {

    /** The host every component binds. */
    public static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /** {@code host:port} on the loopback interface, for example {@code 127.0.0.1:40123}. */
    public static String address(final int port) {
        return HOST + ":" + port;
    }
}
