package dev.budgetmeter.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The schemas of the local stack's Apicurio registry: a backup taken with Apicurio's own export, restored with its
 * import (which keeps every schema id), and checked against a listing of every subject version with its id through
 * the Confluent API.
 *
 * <p>Why: the local stack's Apicurio keeps schemas in memory, so a restart loses them. A production registry keeps its
 * schemas, and every client caches ids for ever, so "the registry comes back" means "with the same ids". Ids cannot
 * be rebuilt by registering the schemas again: Apicurio draws content ids from the sequence that also numbers every
 * subject version, so they depend on the whole history. Its export and import keep them exactly.
 */
public final class RegistrySchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CONFLUENT_API = "/apis/ccompat/v7";
    private static final String ADMIN_API = "/apis/registry/v2/admin";

    private final String confluentUrl;
    private final String adminUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** @param confluentUrl the registry's Confluent API URL, ending in {@value #CONFLUENT_API} */
    public RegistrySchemas(final String confluentUrl) {
        if (!confluentUrl.endsWith(CONFLUENT_API)) {
            throw new IllegalArgumentException("not Apicurio's Confluent API: " + confluentUrl);
        }
        this.confluentUrl = confluentUrl;
        this.adminUrl = confluentUrl.substring(0, confluentUrl.length() - CONFLUENT_API.length()) + ADMIN_API;
    }

    /**
     * One registered version of a subject. Immutable.
     *
     * @param id      the schema id clients know it by
     * @param subject the subject
     * @param version the version within the subject
     * @param schema  the schema text exactly as registered
     */
    public record Stored(int id, String subject, int version, String schema) {
    }

    /**
     * Everything the registry holds, as Apicurio exports it, and what its Confluent API answers for it. Immutable.
     *
     * @param export   Apicurio's export (a zip)
     * @param versions every version of every subject with its id
     */
    public record Backup(byte[] export, List<Stored> versions) {

        public Backup {
            export = export.clone();
            versions = List.copyOf(versions);
        }

        @Override
        public byte[] export() {
            return export.clone();
        }
    }

    /** Takes a backup. */
    public Backup backup() {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + "/export")).timeout(TIMEOUT)
                .GET().build();
        return new Backup(send(request, HttpResponse.BodyHandlers.ofByteArray()), versions());
    }

    /**
     * Imports a backup into the (restarted, empty) registry.
     *
     * @throws IllegalStateException when a subject version comes back under another id, or is missing
     */
    public void restore(final Backup backup) {
        send(HttpRequest.newBuilder(URI.create(adminUrl + "/import")).timeout(TIMEOUT)
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(backup.export())).build(),
                HttpResponse.BodyHandlers.ofString());
        final List<Stored> restored = versions();
        if (!restored.containsAll(backup.versions())) {
            final List<Stored> lost = new ArrayList<>(backup.versions());
            lost.removeAll(restored);
            throw new IllegalStateException("the restored registry lost or renumbered " + lost.size()
                    + " subject versions, first " + lost.get(0));
        }
    }

    /** Every version of every subject, ordered by id. */
    public List<Stored> versions() {
        final List<Stored> stored = new ArrayList<>();
        for (final JsonNode subject : getJson("/subjects")) {
            final String path = "/subjects/" + encode(subject.asText()) + "/versions";
            for (final JsonNode version : getJson(path)) {
                final JsonNode entry = getJson(path + "/" + version.asInt());
                stored.add(new Stored(entry.get("id").asInt(), subject.asText(), version.asInt(),
                        entry.get("schema").asText()));
            }
        }
        stored.sort(Comparator.comparingInt(Stored::id).thenComparing(Stored::subject)
                .thenComparingInt(Stored::version));
        return stored;
    }

    /** Registers exactly this schema text under a subject (a textual variant gets its own id); returns the id. */
    public int register(final String subject, final String schemaText) {
        try {
            final String body = JSON.writeValueAsString(Map.of("schema", schemaText));
            final HttpRequest request = HttpRequest.newBuilder(URI.create(confluentUrl + "/subjects/"
                            + encode(subject) + "/versions")).timeout(TIMEOUT)
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return JSON.readTree(send(request, HttpResponse.BodyHandlers.ofString())).get("id").asInt();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode getJson(final String path) {
        try {
            return JSON.readTree(send(HttpRequest.newBuilder(URI.create(confluentUrl + path)).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString()));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T send(final HttpRequest request, final HttpResponse.BodyHandler<T> handler) {
        try {
            final HttpResponse<T> response = http.send(request, handler);
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    private static String encode(final String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
