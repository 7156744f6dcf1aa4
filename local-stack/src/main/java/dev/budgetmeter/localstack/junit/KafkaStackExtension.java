package dev.budgetmeter.localstack.junit;

import dev.budgetmeter.localstack.ExternalKafkaStack;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.LocalKafkaStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one Kafka stack per test JVM and hands it to every test class that uses it.
 *
 * <p>Guarantees: the stack is chosen by {@link StackProvider#fromSystem()} and started at most once per JVM (it lives
 * in the root context's store, so every test class shares it, and JUnit closes it when the test run ends; a failed
 * start is not retried, later classes fail at once with the same cause). It is
 * started before the first test class's {@code @BeforeAll}, so start-up time and start-up failures show up there.
 * Resolves parameters of type {@link KafkaStack} and {@link LocalKafkaStack}; the latter, which tests take to stop
 * and restart the broker or registry, fails with a message saying why when the stack is not a local one.
 */
public final class KafkaStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            KafkaStackExtension.class);
    private static final String STACK_KEY = "stack";

    @Override
    public void beforeAll(final ExtensionContext context) {
        sharedStack(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        final Class<?> type = parameter.getParameter().getType();
        return type == KafkaStack.class || type == LocalKafkaStack.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        final KafkaStack stack = sharedStack(context);
        if (parameter.getParameter().getType() == LocalKafkaStack.class && !(stack instanceof LocalKafkaStack)) {
            throw new ParameterResolutionException(parameter.getDeclaringExecutable() + " needs a LocalKafkaStack"
                    + " (broker and registry restart handles), but this test JVM runs the " + stack.description()
                    + ". Unset " + ExternalKafkaStack.BOOTSTRAP_SERVERS_ENV + "/" + ExternalKafkaStack.SCHEMA_REGISTRY_URL_ENV
                    + " or run with -D"
                    + StackProvider.OVERRIDE_PROPERTY + "=local to get one.");
        }
        return stack;
    }

    @SuppressWarnings("unchecked")
    private static KafkaStack sharedStack(final ExtensionContext context) {
        // The root store closes AutoCloseable values when the whole test run ends; the stack's own JVM shutdown hook
        // covers runs where that is switched off.
        return ((SharedResource<KafkaStack>) context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(STACK_KEY, key -> SharedResource.start("Kafka stack",
                        () -> StackProvider.fromSystem().start()), SharedResource.class))
                .get();
    }
}
