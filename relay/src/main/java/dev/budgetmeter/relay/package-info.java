/**
 * The relay to a Cycles server: reads the commands topic, applies every command once through the protocol's
 * runtime API, and writes each answer to the command-results topic. {@link dev.budgetmeter.relay.CommandRelay} runs
 * it; {@link dev.budgetmeter.relay.CommandApplier} is the protocol's response table; everything else is plumbing.
 */
package dev.budgetmeter.relay;
