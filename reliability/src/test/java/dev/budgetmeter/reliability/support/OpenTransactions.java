package dev.budgetmeter.reliability.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Watches one application instance's exactly-once transactions through the Admin API, so that a fault can be injected while
 * one of them is open with output already written: the moment a crash must not leak half-done output.
 */
public final class OpenTransactions implements AutoCloseable {

    private final Admin admin;
    private final String transactionalIdPrefix;

    /**
     * @param connection      a client allowed to describe the instance's transactional ids
     * @param streamsClientId the Kafka Streams client id of one instance ({@code <application id>-<process id>}),
     *                        the prefix of its transactional ids
     */
    public OpenTransactions(final Map<String, Object> connection, final String streamsClientId) {
        this.admin = Admin.create(connection);
        this.transactionalIdPrefix = streamsClientId + "-";
    }

    /** Whether one of the instance's transactions is ongoing and has written to at least one partition. */
    public boolean anyOpenWithOutput() throws ExecutionException, InterruptedException {
        final List<String> ongoing = admin.listTransactions().all().get().stream()
                .filter(listing -> listing.transactionalId().startsWith(transactionalIdPrefix))
                .filter(listing -> listing.state() == TransactionState.ONGOING)
                .map(TransactionListing::transactionalId).toList();
        if (ongoing.isEmpty()) {
            return false;
        }
        final Map<String, TransactionDescription> described = admin.describeTransactions(ongoing).all().get();
        return described.values().stream().anyMatch(description -> description.state() == TransactionState.ONGOING
                && !description.topicPartitions().isEmpty());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
