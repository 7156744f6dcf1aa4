/**
 * The HTTP client of the Confluent REST API (failover across URLs, bounded retries), its connection settings and the
 * cache in front of it. Not an API, may change in any release; public only because
 * {@code dev.budgetmeter.registry.serde} builds clients from it. It refers to {@link dev.budgetmeter.registry} (the
 * client interface and the exceptions it throws) and never to the serde: the layering runs one way, serde, then
 * internal, then the client interface.
 */
package dev.budgetmeter.registry.internal;
