/**
 * A client of the Cycles protocol's runtime API, shared by the producer library's reserve and the relay's commands:
 * {@link dev.budgetmeter.cycles.CyclesClient} sends one bounded request, {@link dev.budgetmeter.cycles.AnswerKind}
 * says what the answer means, {@link dev.budgetmeter.cycles.RetryLoop} retries what may be retried under the same
 * idempotency key, and {@link dev.budgetmeter.cycles.CyclesJson} writes and reads the protocol's JSON.
 */
package dev.budgetmeter.cycles;
