/**
 * A client of the Confluent schema registry REST API ({@link dev.budgetmeter.registry.SchemaRegistryClient}): over
 * HTTP with failover and bounded retries ({@link dev.budgetmeter.registry.RestSchemaRegistryClient}), in memory for
 * {@code mock://} tests ({@link dev.budgetmeter.registry.MockSchemaRegistry}), cached
 * ({@link dev.budgetmeter.registry.CachingSchemaRegistryClient}); and the exceptions of the whole module, all
 * {@link dev.budgetmeter.registry.SchemaRegistryException}s, precise enough to tell bad input (dead-letter it) from an
 * unavailable registry (retry).
 */
package dev.budgetmeter.registry;
