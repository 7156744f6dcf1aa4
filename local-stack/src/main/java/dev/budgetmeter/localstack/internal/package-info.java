/**
 * Implementation details of the local stack: ports, deadlines, child JVMs, the Apicurio distribution, KRaft
 * configuration. Public only so the stack's packages can share them; not an API for other modules.
 */
package dev.budgetmeter.localstack.internal;
