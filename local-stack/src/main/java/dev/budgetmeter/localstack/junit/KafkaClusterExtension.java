package dev.budgetmeter.localstack.junit;

import dev.budgetmeter.localstack.LocalClusterOptions;
import dev.budgetmeter.localstack.LocalKafkaCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one production-shaped {@link LocalKafkaCluster} per test JVM and hands it to every
 * test class that asks: three brokers (each its own JVM, so a test can {@code kill -9} one), replication factor 3
 * and {@code min.insync.replicas} 2, SASL/SCRAM-SHA-512 on every listener, a SASL_SSL listener beside the
 * SASL_PLAINTEXT one, the {@code StandardAuthorizer} with no access without an ACL, and a schema registry.
 *
 * <p>Guarantees: started at most once per JVM, before the first test class's {@code @BeforeAll}; a failed start is
 * not retried (later classes fail at once with its cause); JUnit closes it when the run ends. Tests share it, so each
 * creates its own users, ACLs and topics under names of its own. A test that stops or kills a broker starts it again
 * before it ends, as the single-node stack's tests do with theirs.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            KafkaClusterExtension.class);
    private static final String CLUSTER_KEY = "secured-cluster";

    @Override
    public void beforeAll(final ExtensionContext context) {
        sharedCluster(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == LocalKafkaCluster.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return sharedCluster(context);
    }

    @SuppressWarnings("unchecked")
    private static LocalKafkaCluster sharedCluster(final ExtensionContext context) {
        return ((SharedResource<LocalKafkaCluster>) context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(CLUSTER_KEY, key -> SharedResource.start("secured Kafka cluster",
                        () -> LocalKafkaCluster.start(LocalClusterOptions.defaults().withSecurity(true))),
                        SharedResource.class))
                .get();
    }
}
