package dev.budgetmeter.topology.decode;

import dev.budgetmeter.schemas.StreamEvent;

/** A decoded and validated stream event with the record it was read from. */
public record InboundEvent(StreamEvent event, SourceRecord source) {
}
