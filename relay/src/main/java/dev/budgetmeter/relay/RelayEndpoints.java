package dev.budgetmeter.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The relay's HTTP endpoint on the JDK's server: {@code /health} is 200 while the relay runs and 503 once it failed
 * or stopped (restart it), {@code /ready} 200 once it joined its group and can write results, {@code /metrics} the
 * Prometheus text. One daemon thread, so it never keeps the JVM alive.
 */
public final class RelayEndpoints implements AutoCloseable {

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    /** One endpoint's answer now. */
    private record Reply(int status, String contentType, String body) {

        static Reply signal(final boolean up, final String what) {
            return new Reply(up ? 200 : 503, TEXT, (up ? "" : "not ") + what + "\n");
        }
    }

    private final HttpServer server;

    private RelayEndpoints(final HttpServer server) {
        this.server = server;
    }

    /** Binds {@code address} (port 0 for a free one) and serves {@code relay}'s signals. */
    public static RelayEndpoints start(final InetSocketAddress address, final CommandRelay relay) {
        final Map<String, Supplier<Reply>> routes = Map.of(
                "/health", () -> Reply.signal(relay.isAlive(), "alive"),
                "/ready", () -> Reply.signal(relay.isReady(), "ready"),
                "/metrics", () -> new Reply(200, PROMETHEUS, relay.metricsText()));
        try {
            final HttpServer server = HttpServer.create();
            server.bind(address, 16);
            server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
                final Thread thread = new Thread(runnable, "budget-meter-relay-http");
                thread.setDaemon(true);
                return thread;
            }));
            server.createContext("/", exchange -> send(exchange, routes.getOrDefault(exchange.getRequestURI()
                    .getPath(), () -> new Reply(404, TEXT, "not found\n")).get()));
            server.start();
            return new RelayEndpoints(server);
        } catch (final IOException e) {
            throw new UncheckedIOException("the relay cannot serve /health, /ready and /metrics on " + address, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once; its thread ends with it. */
    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService executor) {
            executor.shutdownNow();
        }
    }

    private static void send(final HttpExchange exchange, final Reply reply) throws IOException {
        try (exchange) {
            final byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
