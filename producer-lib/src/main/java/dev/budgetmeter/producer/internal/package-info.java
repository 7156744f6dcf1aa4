/**
 * The implementation of {@link dev.budgetmeter.producer}: not an API, may change in any release. Public only because
 * the public package reaches it across the package boundary.
 */
package dev.budgetmeter.producer.internal;
