package dev.budgetmeter.reliability.support;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.time.Duration;
import java.util.Map;

/** The metering application in the test's JVM, started and ready; {@link #close()} stops it. */
public final class InProcessApp implements AutoCloseable {

    private static final Duration READY_BOUND = Duration.ofSeconds(90);

    private final MeteringApp app;

    private InProcessApp(final MeteringApp app) {
        this.app = app;
    }

    /** Starts the application with {@code settings} and waits until it is ready (every stream thread RUNNING). */
    public static InProcessApp start(final Map<String, Object> settings) {
        final MeteringApp app = MeteringApp.create(new MeteringConfig(settings));
        app.start();
        final InProcessApp running = new InProcessApp(app);
        try {
            await("metering app ready").atMost(READY_BOUND).until(app::isReady);
        } catch (final RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    public MeteringApp app() {
        return app;
    }

    @Override
    public void close() {
        app.close(Duration.ofSeconds(30));
    }
}
