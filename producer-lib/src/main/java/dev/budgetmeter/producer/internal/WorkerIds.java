package dev.budgetmeter.producer.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The default worker id: {@code <hostname>-<pid>}, so events of two processes on one host stay apart. */
public final class WorkerIds {

    private WorkerIds() {
    }

    public static String defaultWorkerId() {
        return hostname() + "-" + ProcessHandle.current().pid();
    }

    private static String hostname() {
        // Containers and pods set HOSTNAME; asking the resolver first could stall on a misconfigured DNS.
        final String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "localhost";
        }
    }
}
