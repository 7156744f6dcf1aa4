package dev.budgetmeter.cycles.standin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One budget of the stand-in's ledger, a (scope, unit) pair; mutated only under the ledger's lock. */
final class Budget {

    final String scope;
    final String unit;
    long allocated;
    long reserved;
    long spent;
    long debt;
    long overdraftLimit;
    boolean overLimit;
    Long capMaxTokens;
    String status = "ACTIVE";

    Budget(final String scope, final String unit) {
        this.scope = scope;
        this.unit = unit;
    }

    long remaining() {
        return allocated - spent - reserved - debt;
    }

    ObjectNode toJson() {
        final ObjectNode node = JsonNodeFactory.instance.objectNode().put("scope", scope).put("scope_path", scope);
        node.set("remaining", amount(remaining()));
        node.set("reserved", amount(reserved));
        node.set("spent", amount(spent));
        node.set("allocated", amount(allocated));
        node.set("debt", amount(debt));
        node.set("overdraft_limit", amount(overdraftLimit));
        node.put("is_over_limit", overLimit);
        return node;
    }

    private ObjectNode amount(final long value) {
        return JsonNodeFactory.instance.objectNode().put("unit", unit).put("amount", value);
    }
}
