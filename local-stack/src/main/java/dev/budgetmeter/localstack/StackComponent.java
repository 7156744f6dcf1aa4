package dev.budgetmeter.localstack;

/**
 * One restartable part of a {@link LocalKafkaStack}: the broker or the schema registry.
 *
 * <p>Guarantees: {@link #start()} returns only once the component answers its clients, or throws a
 * {@link ComponentStartException} that names the component, where it should have answered and where its log is.
 * A restarted component comes back on the same address. {@link #start()} on a running component and
 * {@link #stop()} on a stopped one do nothing.
 */
public interface StackComponent {

    /** Starts the component and waits until it is ready; see the class comment for the guarantees. */
    void start();

    /** Stops the component and waits until it is down; its address is free again afterwards. */
    void stop();

    /** Whether the component was started and not stopped since. */
    boolean isRunning();
}
