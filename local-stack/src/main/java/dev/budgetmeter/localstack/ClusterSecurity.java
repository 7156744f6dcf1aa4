package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Secrets;
import dev.budgetmeter.localstack.internal.TlsMaterial;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets of one secured {@link LocalKafkaCluster}: its administrator (a super user, bootstrapped into the
 * metadata at format time, the brokers' own identity between each other and towards the controllers) and the TLS
 * stores of its SASL_SSL listeners. Everything is generated for the run. Never printed: {@link #toString()} hides it.
 *
 * @param admin the super user
 * @param tls   the brokers' key store and the clients' trust store
 */
record ClusterSecurity(ScramUser admin, TlsMaterial tls) {

    /** The administrator's user name, a super user. */
    static final String ADMIN = "admin";
    static final String PLAINTEXT_PROTOCOL = "SASL_PLAINTEXT";
    static final String TLS_PROTOCOL = "SASL_SSL";

    /** New random secrets; the TLS stores go into {@code directory}. */
    static ClusterSecurity generate(final Path directory) {
        return new ClusterSecurity(new ScramUser(ADMIN, Secrets.random()), TlsMaterial.generate(directory));
    }

    /** The {@code kafka-storage format} arguments that bootstrap the administrator's SCRAM credential (KIP-900). */
    List<String> formatArguments() {
        return List.of("--add-scram", ScramUser.MECHANISM + "=[name=" + admin.name() + ",password=" + admin.password()
                + "]");
    }

    /** A client's settings for {@code user} on the SASL_PLAINTEXT listeners. */
    Map<String, Object> plaintextClient(final ScramUser user) {
        return user.saslProperties(PLAINTEXT_PROTOCOL);
    }

    /** A client's settings for {@code user} on the SASL_SSL listeners, trusting the run's certificate. */
    Map<String, Object> tlsClient(final ScramUser user) {
        final Map<String, Object> properties = new HashMap<>(user.saslProperties(TLS_PROTOCOL));
        properties.put("ssl.truststore.location", tls.trustStore().toString());
        properties.put("ssl.truststore.type", TlsMaterial.STORE_TYPE);
        properties.put("ssl.truststore.password", tls.password());
        return properties;
    }

    @Override
    public String toString() {
        return "ClusterSecurity[admin=" + admin + ", tls=" + tls + "]";
    }
}
