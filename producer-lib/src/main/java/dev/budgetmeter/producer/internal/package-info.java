/**
 * How a meter's events become Kafka records: their encoding (the chunk layout among it), the coalescing counters,
 * the flusher thread, the producer configuration. Not an API, may change in any release; public only because
 * {@link dev.budgetmeter.producer} reaches it across the package boundary. It knows the event schemas and Kafka but
 * no type of the public package: the layering runs one way, from the API down to here.
 */
package dev.budgetmeter.producer.internal;
