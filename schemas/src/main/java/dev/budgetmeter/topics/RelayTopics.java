package dev.budgetmeter.topics;

/**
 * The names the relay to the budget authority uses, written down once so that its ACLs (budget-meter acls) and the
 * relay itself agree: it reads {@link Topics#COMMANDS} in its own consumer group and writes what the authority
 * answered to its results topic. The results topic has no schema yet, so it is not in {@link Topics#ALL}.
 */
public final class RelayTopics {

    /** The results topic's name after the prefix. */
    public static final String COMMAND_RESULTS = "command-results";
    /** The relay's consumer group after the prefix. */
    public static final String GROUP = "relay";

    private RelayTopics() {
    }

    /** {@code <prefix>command-results}. */
    public static String commandResults(final String prefix) {
        return prefix + COMMAND_RESULTS;
    }

    /** {@code <prefix>relay}: the consumer group the relay reads the commands topic in. */
    public static String group(final String prefix) {
        return prefix + GROUP;
    }
}
