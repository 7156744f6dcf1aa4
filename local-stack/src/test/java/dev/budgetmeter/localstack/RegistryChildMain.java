package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.ApicurioDistribution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The "parent" JVM of {@link RegistryDiesWithParentTest}: starts an Apicurio registry, prints its pid, then waits to
 * be killed. Never closes the registry on purpose: only the watchdog may end it.
 */
public final class RegistryChildMain {

    /** The line prefix the test waits for. */
    static final String PID_PREFIX = "REGISTRY_PID=";

    private RegistryChildMain() {
    }

    /** @param args the work directory for the registry's log and agent jar */
    public static void main(final String[] args) throws InterruptedException {
        final int port;
        try (LoopbackPorts ports = new LoopbackPorts()) {
            port = ports.reserve(0, ApicurioRegistry.COMPONENT);
        }
        final ApicurioRegistry registry = new ApicurioRegistry(ApicurioDistribution.fromSystem()::home,
                Path.of(args[0]), port, Duration.ofSeconds(90));
        registry.start();
        System.out.println(PID_PREFIX + registry.pid().orElseThrow());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
