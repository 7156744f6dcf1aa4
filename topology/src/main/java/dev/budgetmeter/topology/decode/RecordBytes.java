package dev.budgetmeter.topology.decode;

import dev.budgetmeter.registry.AvroDecodingException;
import dev.budgetmeter.registry.InvalidWireFormatException;
import dev.budgetmeter.registry.SchemaMismatchException;
import dev.budgetmeter.registry.SchemaRegistryRequestException;
import dev.budgetmeter.registry.SchemaRegistryUnavailableException;
import dev.budgetmeter.registry.UnknownSchemaIdException;
import dev.budgetmeter.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes an input record's value, turning every way the bytes can be wrong into a dead-letter reason:
 * undecodable bytes, an unknown schema id, a schema of another record type. A registry that cannot be reached, or
 * that refuses our requests, is not bad input: those exceptions propagate, so the record is retried rather than
 * dead-lettered.
 */
final class RecordBytes {

    /** The value, or why there is none. */
    record Read<T>(T value, DeadLetterReason reason, String message, Throwable error) {
        boolean ok() {
            return value != null;
        }
    }

    private RecordBytes() {
    }

    static <T> Read<T> read(final Deserializer<T> deserializer, final SourceRecord source) {
        try {
            final T value = deserializer.deserialize(source.topic(), source.value());
            return value != null ? new Read<>(value, null, null, null)
                    : new Read<>(null, DeadLetterReason.UNDECODABLE, "the value decodes to nothing", null);
        } catch (SchemaRegistryUnavailableException | SchemaRegistryRequestException e) {
            throw e;
        } catch (InvalidWireFormatException | AvroDecodingException e) {
            return new Read<>(null, DeadLetterReason.UNDECODABLE, e.getMessage(), e);
        } catch (UnknownSchemaIdException e) {
            return new Read<>(null, DeadLetterReason.UNKNOWN_SCHEMA_ID, e.getMessage(), e);
        } catch (SchemaMismatchException e) {
            return new Read<>(null, DeadLetterReason.WRONG_SCHEMA, e.getMessage(), e);
        } catch (SerializationException | org.apache.avro.AvroRuntimeException | IllegalArgumentException e) {
            return new Read<>(null, DeadLetterReason.UNDECODABLE, String.valueOf(e.getMessage()), e);
        }
    }

    /** The key as UTF-8 text, or null when it is missing or not UTF-8. */
    static String utf8(final byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (ascii(bytes)) {
            // Ids are ASCII nearly always: a copy, without the decoder a malformed sequence needs.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean ascii(final byte[] bytes) {
        for (final byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
