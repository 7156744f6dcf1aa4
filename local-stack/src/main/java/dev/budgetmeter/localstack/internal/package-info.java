/**
 * Implementation details of the local stack: the loopback address, deadlines, child JVMs, the Apicurio distribution,
 * KRaft storage. Public only so the stack's packages can share them; not an API for other modules. Nothing here
 * refers to the public package: the stack's own types (options, exceptions, components) stay above this one.
 */
package dev.budgetmeter.localstack.internal;
