package dev.budgetmeter.cycles.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * A Cycles-style budget server for tests and benchmarks, on the JDK's HTTP server bound to loopback: the runtime
 * endpoints this project calls ({@code POST /v1/reservations}, {@code /v1/reservations/{id}/extend|commit|release},
 * {@code /v1/events}), authenticated by {@code X-Cycles-API-Key} per tenant, with its own ledger
 * ({@link StandInLedger}), an expiry sweeper, and an idempotency store per (tenant, operation, key) that replays a
 * stored success to the same key and body and answers 409 IDEMPOTENCY_MISMATCH to the same key with another body.
 * Every request is recorded ({@link #requests()}), so a test sees duplicates as same-key replays, and scripted
 * {@link Fault}s stand in for a bad network or a struggling server. Budgets are set through Java methods, not HTTP.
 *
 * <p>Requests are applied one at a time under one lock, so concurrent requests of one key cannot both apply.
 */
public final class CyclesStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService sweeper;
    private final LongSupplier clock;
    private final StandInLedger ledger = new StandInLedger();
    private final Map<String, StoredAnswer> idempotency = new HashMap<>();
    private final Map<String, String> tenantsByKey = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<MutableFault> faults = new CopyOnWriteArrayList<>();

    private record StoredAnswer(JsonNode request, Answer answer) {
    }

    private CyclesStandIn(final HttpServer server, final ExecutorService executor, final LongSupplier clock) {
        this.server = server;
        this.executor = executor;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("cycles-stand-in-sweeper"));
    }

    /** Starts on a free loopback port, on the system clock. */
    public static CyclesStandIn start() {
        return start(System::currentTimeMillis);
    }

    /** Starts on a free loopback port; {@code clock} is the server's time in epoch ms. */
    public static CyclesStandIn start(final LongSupplier clock) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot bind the Cycles stand-in", e);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(32, daemon("cycles-stand-in"));
        server.setExecutor(executor);
        final CyclesStandIn standIn = new CyclesStandIn(server, executor, clock);
        server.createContext("/v1/", standIn::handle);
        server.start();
        standIn.sweeper.scheduleWithFixedDelay(standIn::sweep, 100, 100, TimeUnit.MILLISECONDS);
        return standIn;
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accepts {@code key} as the API key of {@code tenant}. */
    public CyclesStandIn apiKey(final String tenant, final String key) {
        tenantsByKey.put(key, tenant);
        return this;
    }

    /** Stops accepting {@code key}: its requests get 401 from now on. */
    public void revokeApiKey(final String key) {
        tenantsByKey.remove(key);
    }

    /** Funds the budget of {@code scope} (for example {@code tenant:acme}) in {@code unit} with {@code allocated}. */
    public synchronized CyclesStandIn budget(final String scope, final String unit, final long allocated) {
        ledger.budget(scope, unit).allocated = allocated;
        return this;
    }

    /** Gives every reservation against this budget ALLOW_WITH_CAPS with this token cap. */
    public synchronized CyclesStandIn capMaxTokens(final String scope, final String unit, final long maxTokens) {
        ledger.budget(scope, unit).capMaxTokens = maxTokens;
        return this;
    }

    /** Scripts a fault; it applies to the next matching requests until used up. */
    public void inject(final Fault fault) {
        faults.add(new MutableFault(fault));
    }

    /** Releases an active reservation as an operator would (admin key): a later settlement is RESERVATION_FINALIZED. */
    public synchronized boolean forceRelease(final String reservationId) {
        return ledger.forceRelease(reservationId);
    }

    /** Expires an active reservation now, as if its ttl and grace had passed, and returns its hold. */
    public synchronized boolean forceExpire(final String reservationId) {
        return ledger.forceExpire(reservationId, clock.getAsLong());
    }

    public synchronized Optional<ReservationView> reservation(final String reservationId) {
        return ledger.reservation(reservationId);
    }

    public synchronized List<ReservationView> reservations() {
        return ledger.reservations();
    }

    public synchronized List<EventView> events() {
        return ledger.events();
    }

    /** The current balance of a budget, as the protocol's JSON. */
    public synchronized JsonNode balance(final String scope, final String unit) {
        return ledger.budget(scope, unit).toJson();
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests of one operation and key, in arrival order. */
    public List<RecordedRequest> requests(final String operation, final String idempotencyKey) {
        return requests.stream().filter(r -> r.operation().equals(operation)
                && idempotencyKey.equals(r.idempotencyKey())).collect(Collectors.toList());
    }

    /** Budgets whose arithmetic went wrong; empty when every invariant holds. */
    public synchronized List<String> brokenInvariants() {
        return ledger.brokenInvariants();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
    }

    private synchronized void sweep() {
        ledger.sweep(clock.getAsLong());
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final Route route = Route.of(exchange.getRequestMethod(), exchange.getRequestURI());
            if (route == null) {
                respond(exchange, Answer.error(404, "NOT_FOUND", "no such endpoint"), null);
                return;
            }
            final JsonNode body = readBody(exchange);
            final String key = body == null ? null : body.path("idempotency_key").asText(null);
            final String tenant = tenantsByKey.get(String.valueOf(exchange.getRequestHeaders()
                    .getFirst("X-Cycles-API-Key")));
            final Optional<MutableFault> fault = takeFault(route.operation(), key);
            if (fault.isPresent() && before(exchange, route, body, key, tenant, fault.get().fault)) {
                return;
            }
            final Outcome outcome = apply(route, body, key, tenant, exchange.getRequestHeaders()
                    .getFirst("X-Idempotency-Key"));
            if (fault.isPresent()) {
                after(exchange, route, body, key, tenant, fault.get().fault, outcome);
                return;
            }
            record(route, key, tenant, body, outcome.answer().status(), outcome.disposition());
            respond(exchange, outcome.answer(), null);
        }
    }

    private record Outcome(Answer answer, RecordedRequest.Disposition disposition) {
    }

    /** Applies a request: authentication, validation, idempotency, then the ledger. */
    private synchronized Outcome apply(final Route route, final JsonNode body, final String key, final String tenant,
                                       final String headerKey) {
        if (tenant == null) {
            return refused(Answer.error(401, "UNAUTHORIZED", "missing or unknown API key"));
        }
        if (body == null || !body.isObject() || key == null || key.isEmpty() || key.length() > 256) {
            return refused(Answer.error(400, "INVALID_REQUEST", "a JSON body with idempotency_key (1-256) is required"));
        }
        if (headerKey != null && !headerKey.equals(key)) {
            return refused(Answer.error(400, "INVALID_REQUEST", "X-Idempotency-Key does not match idempotency_key"));
        }
        final String scope = tenant + "|" + route.operation() + "|" + key;
        final StoredAnswer stored = idempotency.get(scope);
        if (stored != null) {
            return stored.request().equals(body) ? new Outcome(stored.answer(), RecordedRequest.Disposition.REPLAYED)
                    : refused(Answer.error(409, "IDEMPOTENCY_MISMATCH", "key " + key + " was used with another body"));
        }
        final long now = clock.getAsLong();
        ledger.sweep(now);
        final Answer answer = switch (route.operation()) {
            case "reserve" -> ledger.reserve(tenant, body, now);
            case "extend" -> ledger.extend(tenant, route.reservationId(), body, now);
            case "commit" -> ledger.commit(tenant, route.reservationId(), body, now);
            case "release" -> ledger.release(tenant, route.reservationId(), now);
            default -> ledger.event(tenant, key, body);
        };
        if (!answer.success()) {
            return refused(answer);
        }
        idempotency.put(scope, new StoredAnswer(body, answer));
        return new Outcome(answer, RecordedRequest.Disposition.APPLIED);
    }

    private static Outcome refused(final Answer answer) {
        return new Outcome(answer, RecordedRequest.Disposition.REFUSED);
    }

    /** A fault that acts before the request is applied; true when it answered (or cut) instead. */
    private boolean before(final HttpExchange exchange, final Route route, final JsonNode body, final String key,
                           final String tenant, final Fault fault) throws IOException {
        switch (fault.kind()) {
            case ANSWER_INSTEAD -> {
                record(route, key, tenant, body, fault.status(), RecordedRequest.Disposition.FAULT_NOT_APPLIED);
                respond(exchange, Answer.error(fault.status(), fault.errorCode(), "scripted fault"),
                        fault.retryAfter());
                return true;
            }
            case CUT_BEFORE_APPLY -> {
                record(route, key, tenant, body, 0, RecordedRequest.Disposition.FAULT_NOT_APPLIED);
                cut(exchange);
                return true;
            }
            case STALL_THEN_APPLY -> stall(fault);
            default -> { }
        }
        return false;
    }

    /** A fault that acts after the request was applied. */
    private void after(final HttpExchange exchange, final Route route, final JsonNode body, final String key,
                       final String tenant, final Fault fault, final Outcome outcome) throws IOException {
        final RecordedRequest.Disposition disposition = outcome.disposition() == RecordedRequest.Disposition.APPLIED
                ? RecordedRequest.Disposition.FAULT_AFTER_APPLY : outcome.disposition();
        switch (fault.kind()) {
            case LOSE_ANSWER -> {
                record(route, key, tenant, body, 0, disposition);
                cut(exchange);
            }
            case MALFORMED_SUCCESS -> {
                record(route, key, tenant, body, 200, disposition);
                final ObjectNode malformed = JSON.createObjectNode().put("status", "OK");
                respond(exchange, new Answer(200, malformed), null);
            }
            default -> {
                record(route, key, tenant, body, outcome.answer().status(), disposition);
                respond(exchange, outcome.answer(), null);
            }
        }
    }

    private Optional<MutableFault> takeFault(final String operation, final String key) {
        for (final MutableFault fault : faults) {
            if (fault.fault.operation().equals(operation) && key != null && fault.fault.keys().test(key)
                    && fault.take()) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    private void record(final Route route, final String key, final String tenant, final JsonNode body,
                        final int status, final RecordedRequest.Disposition disposition) {
        requests.add(new RecordedRequest(route.operation(), route.reservationId(), key, tenant, body, status,
                disposition));
    }

    private static void stall(final Fault fault) {
        try {
            Thread.sleep(fault.delay().toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the connection without an answer: the client reads end-of-stream where the status line should be. */
    private static void cut(final HttpExchange exchange) throws IOException {
        exchange.getResponseBody().close();
        exchange.getRequestBody().close();
        throw new IOException("scripted fault: connection cut");
    }

    private static JsonNode readBody(final HttpExchange exchange) throws IOException {
        final byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (final IOException notJson) {
            return null;
        }
    }

    private static void respond(final HttpExchange exchange, final Answer answer, final Long retryAfter)
            throws IOException {
        final byte[] bytes = JSON.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter));
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(final String name) {
        return runnable -> {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A fault with its remaining count. */
    private static final class MutableFault {
        private final Fault fault;
        private int left;

        MutableFault(final Fault fault) {
            this.fault = fault;
            this.left = fault.times();
        }

        synchronized boolean take() {
            if (left <= 0) {
                return false;
            }
            left--;
            return true;
        }
    }

    /** The endpoint a request path names. */
    private record Route(String operation, String reservationId) {

        static Route of(final String method, final URI uri) {
            if (!"POST".equals(method)) {
                return null;
            }
            final String path = uri.getRawPath();
            if (path.equals("/v1/reservations")) {
                return new Route("reserve", null);
            }
            if (path.equals("/v1/events")) {
                return new Route("event", null);
            }
            final String prefix = "/v1/reservations/";
            if (!path.startsWith(prefix)) {
                return null;
            }
            final String rest = path.substring(prefix.length());
            final int slash = rest.lastIndexOf('/');
            if (slash <= 0) {
                return null;
            }
            final String action = rest.substring(slash + 1);
            final List<String> known = new ArrayList<>(List.of("extend", "commit", "release"));
            return known.contains(action)
                    ? new Route(action, URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8)) : null;
        }
    }
}
