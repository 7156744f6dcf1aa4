package dev.budgetmeter.cycles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import java.util.Map;
import java.util.Optional;

/**
 * The protocol's JSON for the pipeline's Avro types, both ways. Bodies are built in a fixed field order from the
 * command alone, so a request sent again after a restart is byte for byte the first one (the server compares a
 * replay's payload with the stored one: a different body under the same key is IDEMPOTENCY_MISMATCH).
 */
public final class CyclesJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CyclesJson() {
    }

    /** A new body with its idempotency key first. */
    public static ObjectNode body(final String idempotencyKey) {
        return NODES.objectNode().put("idempotency_key", idempotencyKey);
    }

    /** The subject: its levels given, in the protocol's order, and its dimensions when there are any. */
    public static ObjectNode subject(final Subject subject) {
        final ObjectNode node = NODES.objectNode().put("tenant", subject.getTenant());
        putIfPresent(node, "workspace", subject.getWorkspace());
        putIfPresent(node, "app", subject.getApp());
        putIfPresent(node, "workflow", subject.getWorkflow());
        putIfPresent(node, "agent", subject.getAgent());
        putIfPresent(node, "toolset", subject.getToolset());
        if (!subject.getDimensions().isEmpty()) {
            node.set("dimensions", strings(subject.getDimensions()));
        }
        return node;
    }

    public static ObjectNode action(final Action action) {
        final ObjectNode node = NODES.objectNode().put("kind", action.getKind()).put("name", action.getName());
        if (!action.getTags().isEmpty()) {
            final ArrayNode tags = node.putArray("tags");
            action.getTags().forEach(tags::add);
        }
        return node;
    }

    public static ObjectNode amount(final Amount amount) {
        return NODES.objectNode().put("unit", amount.getUnit().name()).put("amount", amount.getAmount());
    }

    /** The protocol's StandardMetrics. */
    public static ObjectNode metrics(final Metrics metrics) {
        final ObjectNode node = NODES.objectNode().put("tokens_input", metrics.getTokensInput())
                .put("tokens_output", metrics.getTokensOutput()).put("latency_ms", metrics.getLatencyMs());
        putIfPresent(node, "model_version", metrics.getModelVersion());
        if (!metrics.getCustom().isEmpty()) {
            node.set("custom", strings(metrics.getCustom()));
        }
        return node;
    }

    /** A map of strings, its keys sorted so that the body does not depend on the map's order. */
    public static ObjectNode strings(final Map<String, String> values) {
        final ObjectNode node = NODES.objectNode();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> node.put(entry.getKey(), entry.getValue()));
        return node;
    }

    /** An amount of an answer, when {@code node} is one in a unit this project knows. */
    public static Optional<Amount> readAmount(final JsonNode node) {
        if (!node.path("amount").isIntegralNumber()) {
            return Optional.empty();
        }
        return unit(node.path("unit").asText()).map(unit -> new Amount(unit, node.path("amount").asLong()));
    }

    /** A unit by its protocol name. */
    public static Optional<Unit> unit(final String name) {
        for (final Unit unit : Unit.values()) {
            if (unit.name().equals(name)) {
                return Optional.of(unit);
            }
        }
        return Optional.empty();
    }

    private static void putIfPresent(final ObjectNode node, final String field, final String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
