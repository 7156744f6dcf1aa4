package dev.budgetmeter.localstack;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A SASL/SCRAM-SHA-512 user of a secured {@link LocalKafkaCluster}, and the client settings that authenticate as it.
 * Its {@link #toString()} never shows the password, so a user can be logged.
 *
 * @param name     the user name; its principal is {@code User:<name>}
 * @param password the password
 */
public record ScramUser(String name, String password) {

    /** The SASL mechanism of every user. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** Validates both fields: a name and password that JAAS can quote as they are. */
    public ScramUser {
        requirePlain(Objects.requireNonNull(name, "name"), "name");
        requirePlain(Objects.requireNonNull(password, "password"), "password");
    }

    /** {@code User:<name>}, as ACLs name it. */
    public String principal() {
        return "User:" + name;
    }

    /**
     * The security settings of a client that authenticates as this user over {@code protocol}
     * ({@code SASL_PLAINTEXT} or {@code SASL_SSL}); TLS settings are the caller's to add.
     */
    public Map<String, Object> saslProperties(final String protocol) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put("security.protocol", protocol);
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", jaasConfig());
        return properties;
    }

    /** The client's JAAS line, as {@code sasl.jaas.config} takes it. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "ScramUser[" + name + ", password=[hidden]]";
    }

    private static void requirePlain(final String value, final String field) {
        if (value.isEmpty() || value.chars().anyMatch(c -> c == '"' || c == '\\' || c == ',' || c == '=' || c < 0x21)) {
            throw new IllegalArgumentException("a SCRAM user's " + field + " must be non-empty printable text without"
                    + " quotes, backslashes, commas, equals signs or spaces");
        }
    }
}
