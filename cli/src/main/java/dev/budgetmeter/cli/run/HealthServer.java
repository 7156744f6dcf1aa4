package dev.budgetmeter.cli.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The application's HTTP endpoint, on the JDK's own server: {@code GET /health} answers 200 while the application
 * is alive and 503 once it failed or stopped (restart me); {@code GET /ready} answers 200 while it processes and 503
 * while it starts, rebalances or stopped (send no traffic); {@code GET /metrics} answers its metrics in the
 * Prometheus format the request's {@code Accept} header asks for ({@link PrometheusMetrics}; the text format 0.0.4
 * without one). Serves on two daemon threads, so it never keeps the JVM alive.
 */
public final class HealthServer implements AutoCloseable {

    /**
     * What the endpoints report.
     *
     * @param alive   the liveness signal
     * @param ready   the readiness signal
     * @param metrics the metrics to expose
     */
    public record Probe(BooleanSupplier alive, BooleanSupplier ready, PrometheusMetrics metrics) {
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0 for a free one) and starts serving. */
    public static HealthServer start(final InetSocketAddress address, final Probe probe) {
        final HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for /health, /ready and /metrics", e);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            final Thread thread = new Thread(runnable, "budget-meter-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/health", exchange -> status(exchange, probe.alive().getAsBoolean(), "alive"));
        server.createContext("/ready", exchange -> status(exchange, probe.ready().getAsBoolean(), "ready"));
        server.createContext("/metrics", exchange -> {
            final PrometheusMetrics.Scrape scrape = probe.metrics().scrape(
                    exchange.getRequestHeaders().getFirst("Accept"));
            // The body depends on Accept: a cache in between must not answer one scraper with another's format.
            exchange.getResponseHeaders().set("Vary", "Accept");
            respond(exchange, 200, scrape.contentType(), scrape.body());
        });
        server.start();
        return new HealthServer(server, executor);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once and ends its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void status(final HttpExchange exchange, final boolean up, final String what) throws IOException {
        respond(exchange, up ? 200 : 503, "text/plain; charset=utf-8",
                ((up ? "" : "not ") + what + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final byte[] bytes) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
