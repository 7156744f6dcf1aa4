package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who spends: the Cycles subject, built fluently from its tenant, for example
 * {@code Subject.tenant("acme").workspace("prod").agent("streaming-agent")}. Immutable: every method returns a new
 * subject.
 *
 * <p>The levels, in order, are tenant, workspace, app, workflow, agent and toolset; each is 1-128 characters. The
 * budget authority charges every scope on the cumulative path of the levels given (gaps skipped). Free
 * {@linkplain #dimension(String, String) dimensions} ride along. Each method checks its argument and throws
 * {@link IllegalArgumentException} naming the level.
 */
public final class Subject {

    /** Longest level value the protocol accepts. */
    public static final int MAX_LEVEL_LENGTH = 128;

    private final String tenant;
    private final String workspace;
    private final String app;
    private final String workflow;
    private final String agent;
    private final String toolset;
    private final Map<String, String> dimensions;

    private Subject(final String tenant, final String workspace, final String app, final String workflow,
            final String agent, final String toolset, final Map<String, String> dimensions) {
        this.tenant = tenant;
        this.workspace = workspace;
        this.app = app;
        this.workflow = workflow;
        this.agent = agent;
        this.toolset = toolset;
        this.dimensions = Map.copyOf(dimensions);
    }

    /** A subject of a tenant, the one required level. */
    public static Subject tenant(final String tenant) {
        return new Subject(level("subject.tenant", tenant), null, null, null, null, null, Map.of());
    }

    /** This subject within a workspace. */
    public Subject workspace(final String workspace) {
        return new Subject(tenant, level("subject.workspace", workspace), app, workflow, agent, toolset, dimensions);
    }

    /** This subject within an app. */
    public Subject app(final String app) {
        return new Subject(tenant, workspace, level("subject.app", app), workflow, agent, toolset, dimensions);
    }

    /** This subject within a workflow. */
    public Subject workflow(final String workflow) {
        return new Subject(tenant, workspace, app, level("subject.workflow", workflow), agent, toolset, dimensions);
    }

    /** This subject as an agent. */
    public Subject agent(final String agent) {
        return new Subject(tenant, workspace, app, workflow, level("subject.agent", agent), toolset, dimensions);
    }

    /** This subject using a toolset. */
    public Subject toolset(final String toolset) {
        return new Subject(tenant, workspace, app, workflow, agent, level("subject.toolset", toolset), dimensions);
    }

    /** This subject with one more free dimension (a later value for the same name replaces the earlier one). */
    public Subject dimension(final String name, final String value) {
        final Map<String, String> more = new LinkedHashMap<>(dimensions);
        more.put(Checks.text("subject.dimension name", name, MAX_LEVEL_LENGTH),
                Checks.required("subject.dimension " + name, value));
        return new Subject(tenant, workspace, app, workflow, agent, toolset, more);
    }

    public String tenant() {
        return tenant;
    }

    public Optional<String> workspace() {
        return Optional.ofNullable(workspace);
    }

    public Optional<String> app() {
        return Optional.ofNullable(app);
    }

    public Optional<String> workflow() {
        return Optional.ofNullable(workflow);
    }

    public Optional<String> agent() {
        return Optional.ofNullable(agent);
    }

    public Optional<String> toolset() {
        return Optional.ofNullable(toolset);
    }

    /** The free dimensions, unmodifiable. */
    public Map<String, String> dimensions() {
        return dimensions;
    }

    private static String level(final String field, final String value) {
        return Checks.text(field, value, MAX_LEVEL_LENGTH);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Subject that
                && tenant.equals(that.tenant)
                && Objects.equals(workspace, that.workspace)
                && Objects.equals(app, that.app)
                && Objects.equals(workflow, that.workflow)
                && Objects.equals(agent, that.agent)
                && Objects.equals(toolset, that.toolset)
                && dimensions.equals(that.dimensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, workspace, app, workflow, agent, toolset, dimensions);
    }

    /** The scope path, for example {@code tenant:acme/workspace:prod/agent:bot}, plus any dimensions. */
    @Override
    public String toString() {
        final StringBuilder path = new StringBuilder("tenant:").append(tenant);
        appendLevel(path, "workspace", workspace);
        appendLevel(path, "app", app);
        appendLevel(path, "workflow", workflow);
        appendLevel(path, "agent", agent);
        appendLevel(path, "toolset", toolset);
        return dimensions.isEmpty() ? path.toString() : path + " " + dimensions;
    }

    private static void appendLevel(final StringBuilder path, final String name, final String value) {
        if (value != null) {
            path.append('/').append(name).append(':').append(value);
        }
    }
}
