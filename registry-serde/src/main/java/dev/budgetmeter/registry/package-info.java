/**
 * What a user of the registry sees besides the serde: the client interface
 * ({@link dev.budgetmeter.registry.SchemaRegistryClient}, obtained from
 * {@code dev.budgetmeter.registry.serde.SchemaRegistryClients}), the in-memory registry behind {@code mock://} URLs
 * for tests ({@link dev.budgetmeter.registry.MockSchemaRegistry}), the registered schema and compatibility levels,
 * and the exceptions of the whole module, all {@link dev.budgetmeter.registry.SchemaRegistryException}s, precise
 * enough to tell bad input (dead-letter it) from an unavailable registry (retry).
 *
 * <p>The lowest layer of the module: it refers to neither the serde nor the internal package.
 */
package dev.budgetmeter.registry;
