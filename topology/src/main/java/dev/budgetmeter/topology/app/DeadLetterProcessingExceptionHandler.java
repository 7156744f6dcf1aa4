package dev.budgetmeter.topology.app;

import dev.budgetmeter.registry.SchemaRegistryRequestException;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.decode.DeadLetters;
import dev.budgetmeter.topology.decode.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence against a poison record: an unexpected exception while processing an input record (a bug,
 * since expected bad input is dead-lettered by the decoder and the lifecycle) dead-letters that record with reason
 * PROCESSING_ERROR and its original bytes, and processing resumes, instead of failing the application on the same
 * record after every restart.
 *
 * <p>A schema registry that cannot be reached, or refuses our requests, is not the record's fault: then the handler
 * fails and the record is not committed. {@link MeteringApp}'s policy decides what follows: an unreachable registry
 * replaces the stream thread, which processes the record again once the registry answers; a registry that refuses
 * (credentials, URL) shuts the client down with the error, and the record is processed again after the operator has
 * fixed the settings and restarted the instance.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    private Topic<String, DeadLetter> deadLetterTopic;
    private DeadLetters deadLetters;
    private final Time time = Time.SYSTEM;

    @Override
    public void configure(final Map<String, ?> configs) {
        final MeteringConfig config = new MeteringConfig(configs);
        deadLetterTopic = TopicRegistry.create(config.topicPrefix(), config.serdeConfig()).topic(Topics.DEAD_LETTERS);
        deadLetters = new DeadLetters(config.deadLetterMaxValueBytes());
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                final Exception exception) {
        if (causedByRegistryTrouble(exception)) {
            LOG.warn("Schema registry unreachable or refusing while processing {}-{}@{}: failing so the record is retried",
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        LOG.error("Processor {} failed on {}-{}@{}: dead-lettering the record as PROCESSING_ERROR",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
        final SourceRecord source = new SourceRecord(String.valueOf(context.topic()), context.partition(),
                context.offset(), context.timestamp(), context.sourceRawKey(), context.sourceRawValue());
        final DeadLetter deadLetter = deadLetters.of(DeadLetterReason.PROCESSING_ERROR,
                "processor " + context.processorNodeId() + " failed: " + exception, exception, source, null,
                time.milliseconds());
        final byte[] value = deadLetterTopic.valueSerde().serializer().serialize(deadLetterTopic.name(), deadLetter);
        final byte[] key = record != null && record.key() instanceof String id
                ? id.getBytes(StandardCharsets.UTF_8) : context.sourceRawKey();
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic.name(), key, value)));
    }

    private static boolean causedByRegistryTrouble(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException || cause instanceof SchemaRegistryRequestException) {
                return true;
            }
        }
        return false;
    }
}
