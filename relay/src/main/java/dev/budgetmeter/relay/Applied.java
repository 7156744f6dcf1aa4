package dev.budgetmeter.relay;

import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetterReason;

/**
 * What became of one command: its result for the command-results topic and, when it was refused or not sent, the
 * reason to dead-letter it with.
 *
 * @param result           the result to write
 * @param deadLetterReason why the command goes to the dead-letter topic too, or null when it does not
 */
record Applied(CommandResult result, DeadLetterReason deadLetterReason) {

    boolean deadLettered() {
        return deadLetterReason != null;
    }
}
