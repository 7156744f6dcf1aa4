package dev.budgetmeter.reliability.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that owns a test's child apps: after each test it prints the log tail of every child when the
 * test failed, then kills every child still running, so no process outlives its test even on failure. Logs stay
 * under {@code target/child-logs}.
 */
public final class ChildApps implements AfterEachCallback {

    private static final Path LOG_DIR = Path.of(System.getProperty("reliability.log.dir", "target/child-logs"));

    private final List<ChildApp> started = new ArrayList<>();

    /** Starts a child app named {@code name} (its log is {@code target/child-logs/<scenario>/<name>.log}). */
    public ChildApp start(final String scenario, final String name, final Map<String, Object> settings) {
        final ChildApp child = ChildApp.start(name, settings, LOG_DIR.resolve(scenario));
        started.add(child);
        return child;
    }

    @Override
    public void afterEach(final ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                started.forEach(child -> System.out.println("---- last lines of " + child.name() + " ("
                        + child.logFile() + ") ----\n" + child.logTail(60)));
            }
        } finally {
            started.forEach(ChildApp::close);
            started.clear();
        }
    }
}
