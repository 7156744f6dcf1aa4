package dev.budgetmeter.relay;

import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.Secret;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cycles API key of each tenant, from a properties file ({@code <tenant>=<key>}, {@code *=<key>} for every other
 * tenant) and the environment ({@code CYCLES_API_KEY} for every tenant, {@code CYCLES_API_KEYS} as
 * {@code tenant=key,tenant=key}); the file wins. The file is read again when it changes, so an operator fixes a
 * rotated key without a restart: commands paused on 401 then go out with the new key (and the same idempotency key).
 * Keys are {@link Secret}s: they never reach a log line; what is logged is how many tenants have one.
 */
final class ApiKeyRing implements ApiKeys {

    static final String KEY_ENV = "CYCLES_API_KEY";
    static final String KEYS_ENV = "CYCLES_API_KEYS";
    private static final String ANY_TENANT = "*";
    private static final long RECHECK_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRing.class);

    private final Path file;
    private final Map<String, Secret> fromEnvironment;
    private volatile Map<String, Secret> fromFile = Map.of();
    private volatile FileTime readAt;
    /** The file is looked at once a second at most: a request must not cost a file system call. */
    private volatile long checkedAtNanos = System.nanoTime();

    private ApiKeyRing(final Path file, final Map<String, Secret> fromEnvironment) {
        this.file = file;
        this.fromEnvironment = Map.copyOf(fromEnvironment);
    }

    /**
     * @param file        the keys file, or null for the environment alone
     * @param environment the process environment
     * @throws IllegalArgumentException when no key is given anywhere, or the file cannot be read
     */
    static ApiKeyRing load(final Path file, final Map<String, String> environment) {
        final Map<String, Secret> keys = new HashMap<>();
        final String single = environment.get(KEY_ENV);
        if (single != null && !single.isBlank()) {
            keys.put(ANY_TENANT, Secret.of(single));
        }
        final String many = environment.get(KEYS_ENV);
        if (many != null && !many.isBlank()) {
            for (final String entry : many.split(",")) {
                final int equals = entry.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException(KEYS_ENV + " must be tenant=key,tenant=key (an entry has no '=')");
                }
                keys.put(entry.substring(0, equals).strip(), Secret.of(entry.substring(equals + 1)));
            }
        }
        final ApiKeyRing ring = new ApiKeyRing(file, keys);
        if (file != null) {
            ring.reloadIfChanged();
        }
        if (ring.fromFile.isEmpty() && keys.isEmpty()) {
            throw new IllegalArgumentException("no Cycles API key: give --api-keys-file FILE (tenant=key lines) or set $"
                    + KEY_ENV + " or $" + KEYS_ENV);
        }
        LOG.info("Cycles API keys for {} tenant(s){}", ring.fromFile.size() + keys.size(),
                file == null ? "" : " (file " + file + ", read again when it changes)");
        return ring;
    }

    @Override
    public Optional<Secret> forTenant(final String tenant) {
        if (file != null && System.nanoTime() - checkedAtNanos > RECHECK_NANOS) {
            checkedAtNanos = System.nanoTime();
            reloadIfChanged();
        }
        final Map<String, Secret> current = fromFile;
        return Optional.ofNullable(current.get(tenant)).or(() -> Optional.ofNullable(fromEnvironment.get(tenant)))
                .or(() -> Optional.ofNullable(current.get(ANY_TENANT)))
                .or(() -> Optional.ofNullable(fromEnvironment.get(ANY_TENANT)));
    }

    private void reloadIfChanged() {
        try {
            final FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(readAt)) {
                return;
            }
            final Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            final Map<String, Secret> keys = new HashMap<>();
            properties.forEach((tenant, key) -> keys.put(tenant.toString().strip(), Secret.of(key.toString())));
            fromFile = Map.copyOf(keys);
            if (readAt != null) {
                LOG.info("Cycles API keys read again from {}: {} tenant(s)", file, keys.size());
            }
            readAt = modified;
        } catch (final IOException e) {
            if (readAt == null) {
                throw new UncheckedIOException("cannot read the API keys file " + file, e);
            }
            LOG.warn("cannot read the API keys file {} again ({}); keeping the keys read before", file, e.toString());
        }
    }
}
