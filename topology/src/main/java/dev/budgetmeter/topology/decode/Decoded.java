package dev.budgetmeter.topology.decode;

import dev.budgetmeter.schemas.DeadLetter;

/** The result of decoding one input record: a valid event, or the dead letter that replaces it. */
public sealed interface Decoded {

    /** A valid event, ready for the lifecycle. */
    record Accepted(String reservationId, InboundEvent event) implements Decoded {
    }

    /** A record that cannot be applied, with the reason. */
    record Rejected(DeadLetter deadLetter) implements Decoded {
    }
}
