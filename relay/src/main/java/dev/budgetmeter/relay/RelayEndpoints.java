package dev.budgetmeter.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The relay's HTTP endpoint on the JDK's server: {@code /health} is 200 while the relay runs and 503 once it failed
 * or stopped (restart it), {@code /ready} 200 once it joined its group and can write results, {@code /metrics} the
 * Prometheus text. One daemon thread; never keeps the JVM alive.
 */
public final class RelayEndpoints implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private RelayEndpoints(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0 for a free one) and serves {@code relay}'s signals. */
    public static RelayEndpoints start(final InetSocketAddress address, final CommandRelay relay) {
        final HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for /health, /ready and /metrics", e);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "budget-meter-relay-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/health" -> answer(exchange, relay.isAlive() ? 200 : 503, relay.isAlive() ? "alive\n"
                            : "not alive\n", "text/plain; charset=utf-8");
                    case "/ready" -> answer(exchange, relay.isReady() ? 200 : 503, relay.isReady() ? "ready\n"
                            : "not ready\n", "text/plain; charset=utf-8");
                    case "/metrics" -> answer(exchange, 200, relay.metricsText(),
                            "text/plain; version=0.0.4; charset=utf-8");
                    default -> answer(exchange, 404, "not found\n", "text/plain; charset=utf-8");
                }
            }
        });
        server.start();
        return new RelayEndpoints(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void answer(final HttpExchange exchange, final int status, final String text,
                               final String contentType) throws IOException {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
