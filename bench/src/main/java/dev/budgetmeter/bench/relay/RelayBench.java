package dev.budgetmeter.bench.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.CyclesClient;
import dev.budgetmeter.cycles.CyclesJson;
import dev.budgetmeter.cycles.CyclesOperation;
import dev.budgetmeter.cycles.CyclesRequest;
import dev.budgetmeter.cycles.CyclesResponse;
import dev.budgetmeter.cycles.Secret;
import dev.budgetmeter.cycles.standin.CyclesStandIn;
import dev.budgetmeter.localstack.LocalKafkaStack;
import dev.budgetmeter.relay.CommandRelay;
import dev.budgetmeter.relay.RelayConfig;
import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the relay costs against a Cycles server, as ratios to a baseline measured in the same run against the same
 * server (the Cycles stand-in on loopback HTTP), on the local stack:
 * <ul>
 *   <li>throughput: commits applied per second through the relay (a backlog in the commands topic, to its results
 *       written) over the same number of commits sent straight to the server by as many threads as the relay runs
 *       at once;</li>
 *   <li>latency: at a steady rate well below both, the time from a command's issue to its result written, next to
 *       the server's own request latency at the same rate; the difference is what the relay adds (Kafka in and
 *       out, the result's acknowledgement).</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/budget-meter-bench.jar dev.budgetmeter.bench.relay.RelayBench [commands] [rate] [seconds]
 * </pre>
 *
 * Prints a Markdown table and writes it to {@code bench/results/relay.md}. Asserts nothing.
 */
public final class RelayBench {

    private static final String TENANT = "bench";
    private static final String KEY = "bench-key";
    private static final int IN_FLIGHT = 64;

    private final LocalKafkaStack stack;
    private final CyclesStandIn server;
    private final CyclesClient client;
    private int reserved;

    private RelayBench(final LocalKafkaStack stack, final CyclesStandIn server) {
        this.stack = stack;
        this.server = server;
        this.client = new CyclesClient(server.url(), ApiKeys.single(Secret.of(KEY)), Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    public static void main(final String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.budgetmeter");
        final int commands = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        final long load = Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage() * 10) / 10;
        try (LocalKafkaStack stack = LocalKafkaStack.start();
             CyclesStandIn server = CyclesStandIn.start().apiKey(TENANT, KEY)
                     .budget("tenant:" + TENANT, "USD_MICROCENTS", Long.MAX_VALUE / 4)) {
            final String report = new RelayBench(stack, server).run(commands, rate, seconds, load);
            System.out.println(report);
            final Path out = Path.of("bench/results/relay.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
        System.exit(0);
    }

    private String run(final int commands, final int rate, final int seconds, final long load) throws Exception {
        final String prefix = "relay-bench-" + Long.toHexString(System.nanoTime()) + ".";
        final TopicRegistry topics = TopicRegistry.create(prefix, Map.of("schema.registry.url",
                stack.schemaRegistryUrl()));
        createTopics(topics);
        final double direct = directThroughput(reserve(commands));
        final Histogram directLatency = directLatency(reserve(rate * seconds), rate);
        try (CommandRelay relay = CommandRelay.create(new RelayConfig(relaySettings(prefix)),
                ApiKeys.single(Secret.of(KEY)), Clock.systemUTC());
             KafkaProducer<String, BudgetCommand> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     stack.bootstrapServers(), "acks", "all", "linger.ms", 5), new StringSerializer(),
                     topics.topic(Topics.COMMANDS).valueSerde().serializer());
             ResultsWatch results = new ResultsWatch(stack.bootstrapServers(), topics.name(Topics.COMMAND_RESULTS))) {
            relay.start();
            waitUntil(relay::isReady, Duration.ofSeconds(60), "the relay ready");
            final double relayed = relayThroughput(reserve(commands), producer, topics, results);
            final Histogram relayLatency = relayLatency(reserve(rate * seconds), rate, producer, topics, results);
            return report(commands, rate, seconds, load, direct, relayed, directLatency, relayLatency);
        }
    }

    /** The commits sent straight to the server by IN_FLIGHT threads; commands per second. */
    private double directThroughput(final List<String> ids) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        final long started = System.nanoTime();
        final List<Future<CyclesResponse>> sent = new ArrayList<>();
        for (final String id : ids) {
            sent.add(pool.submit(() -> client.send(commitRequest(id))));
        }
        for (final Future<CyclesResponse> response : sent) {
            check(response.get());
        }
        final double perSecond = ids.size() / ((System.nanoTime() - started) / 1e9);
        pool.shutdown();
        return perSecond;
    }

    /** One commit every 1/rate s straight to the server; each request's latency. */
    private Histogram directLatency(final List<String> ids, final int rate) throws Exception {
        final Histogram latencies = new Histogram(3);
        final ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        final List<Future<CyclesResponse>> sent = new ArrayList<>();
        final long interval = 1_000_000_000L / rate;
        final long started = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            sleepUntil(started + i * interval);
            final String id = ids.get(i);
            sent.add(pool.submit(() -> client.send(commitRequest(id))));
        }
        for (final Future<CyclesResponse> response : sent) {
            latencies.recordValue(Math.max(1, check(response.get()).latency().toMillis()));
        }
        pool.shutdown();
        return latencies;
    }

    /** A backlog of commits through the relay: from the first command sent to the last result written. */
    private double relayThroughput(final List<String> ids, final KafkaProducer<String, BudgetCommand> producer,
                                   final TopicRegistry topics, final ResultsWatch results) throws Exception {
        final int before = results.count();
        final long started = System.nanoTime();
        for (final String id : ids) {
            producer.send(new ProducerRecord<>(topics.name(Topics.COMMANDS), id, commit(id, Instant.now())));
        }
        producer.flush();
        results.awaitCount(before + ids.size(), Duration.ofMinutes(5));
        return ids.size() / ((System.nanoTime() - started) / 1e9);
    }

    /** Commits at a steady rate through the relay; from each command's issue to its result's write. */
    private Histogram relayLatency(final List<String> ids, final int rate,
                                   final KafkaProducer<String, BudgetCommand> producer, final TopicRegistry topics,
                                   final ResultsWatch results) throws Exception {
        final int before = results.count();
        results.startTiming();
        final long interval = 1_000_000_000L / rate;
        final long started = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            sleepUntil(started + i * interval);
            final String id = ids.get(i);
            final Instant issued = Instant.now();
            results.issued(id + ":commit", issued.toEpochMilli());
            producer.send(new ProducerRecord<>(topics.name(Topics.COMMANDS), id, commit(id, issued)));
        }
        producer.flush();
        results.awaitCount(before + ids.size(), Duration.ofMinutes(5));
        return results.latencies();
    }

    private List<String> reserve(final int count) {
        final List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final String key = "bench-" + (reserved++) + ":reserve";
            final ObjectNode body = CyclesJson.body(key);
            body.set("subject", CyclesJson.subject(subject()));
            body.set("action", CyclesJson.action(action()));
            body.set("estimate", CyclesJson.amount(new Amount(Unit.USD_MICROCENTS, 100_000L)));
            body.put("ttl_ms", 600_000);
            ids.add(check(client.send(new CyclesRequest(CyclesOperation.RESERVE, null, TENANT, key, body)))
                    .body().path("reservation_id").asText());
        }
        return ids;
    }

    private static CyclesRequest commitRequest(final String id) {
        final BudgetCommand command = commit(id, Instant.now());
        final Commit body = (Commit) command.getBody();
        final ObjectNode json = CyclesJson.body(command.getIdempotencyKey());
        json.set("actual", CyclesJson.amount(body.getActual()));
        json.set("metrics", CyclesJson.metrics(body.getMetrics()));
        return new CyclesRequest(CyclesOperation.COMMIT, id, TENANT, command.getIdempotencyKey(), json);
    }

    private static BudgetCommand commit(final String id, final Instant issued) {
        final String key = id + ":commit";
        return BudgetCommand.newBuilder().setCommandId(key).setReservationId(id).setIdempotencyKey(key)
                .setIssuedAt(issued).setSubject(subject()).setAction(action())
                .setBody(new Commit(new Amount(Unit.USD_MICROCENTS, 42_000L), new Metrics(100L, 40L, 900L, null,
                        Map.of()), Settlement.COMPLETED, SettlementCause.COMPLETED)).build();
    }

    private static Subject subject() {
        return new Subject(TENANT, null, null, null, "bench", null, Map.of());
    }

    private static Action action() {
        return new Action("llm.completion", "gpt-4o", List.of());
    }

    private static CyclesResponse check(final CyclesResponse response) {
        if (response.status() != 200) {
            throw new IllegalStateException("the stand-in answered " + response.summary());
        }
        return response;
    }

    private Map<String, Object> relaySettings(final String prefix) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", stack.bootstrapServers());
        settings.put(RelayConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(RelayConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(RelayConfig.CYCLES_URL_CONFIG, server.url().toString());
        settings.put(RelayConfig.GROUP_ID_CONFIG, prefix + "relay");
        settings.put(RelayConfig.MAX_IN_FLIGHT_CONFIG, IN_FLIGHT);
        return settings;
    }

    private void createTopics(final TopicRegistry topics) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            final List<NewTopic> created = new ArrayList<>();
            for (final TopicDefinition<String, ?> definition : List.of(Topics.COMMANDS, Topics.COMMAND_RESULTS,
                    Topics.DEAD_LETTERS)) {
                created.add(new NewTopic(topics.name(definition), Topics.DEFAULT_PARTITIONS, (short) 1)
                        .configs(definition.configs()));
            }
            TopicAdmin.createAndAwaitLeaders(admin, created, Duration.ofSeconds(60));
        }
    }

    private static String report(final int commands, final int rate, final int seconds, final long load,
                                 final double direct, final double relayed, final Histogram directLatency,
                                 final Histogram relayLatency) {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Relay bench (%d commits backlog, %d commits/s for %d s, %d in flight,"
                + " load average %d at start)%n%n", commands, rate, seconds, IN_FLIGHT, load));
        out.append("| figure | straight to the server (baseline) | through the relay | relay / baseline |\n");
        out.append("|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| commits per second, backlog | %.0f | %.0f | %.2f |%n", direct,
                relayed, relayed / direct));
        for (final double percentile : new double[] {50, 99}) {
            final long base = directLatency.getValueAtPercentile(percentile);
            final long relay = relayLatency.getValueAtPercentile(percentile);
            out.append(String.format(Locale.ROOT, "| latency p%.0f at %d/s (ms) | %d | %d | +%d ms |%n", percentile,
                    rate, base, relay, relay - base));
        }
        return out.toString();
    }

    private static void sleepUntil(final long nanos) throws InterruptedException {
        final long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void waitUntil(final java.util.function.BooleanSupplier condition, final Duration bound,
                                  final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within " + bound);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Reads the results topic from its start on a thread of its own: counts results and times those of commands
     * issued during the latency phase (result record timestamp minus the command's issue time).
     */
    private static final class ResultsWatch implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private final Map<String, Long> issued = new java.util.concurrent.ConcurrentHashMap<>();
        private final Histogram latencies = new Histogram(3);
        private volatile int count;
        private volatile boolean timing;
        private volatile boolean closed;

        ResultsWatch(final String bootstrapServers, final String topic) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                    "group.id", topic + "-watch", "auto.offset.reset", "earliest"),
                    new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
            thread = new Thread(this::read, "relay-bench-results");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            while (!closed) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    final Long at = timing ? issued.remove(record.key()) : null;
                    if (at != null) {
                        synchronized (latencies) {
                            latencies.recordValue(Math.max(1, record.timestamp() - at));
                        }
                    }
                    count++;
                }
            }
            consumer.close();
        }

        int count() {
            return count;
        }

        void startTiming() {
            timing = true;
        }

        void issued(final String commandId, final long at) {
            issued.put(commandId, at);
        }

        Histogram latencies() {
            synchronized (latencies) {
                return latencies.copy();
            }
        }

        void awaitCount(final int expected, final Duration bound) throws InterruptedException {
            waitUntil(() -> count >= expected, bound, expected + " results");
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(5_000);
        }
    }
}
