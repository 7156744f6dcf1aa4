package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.ReservationSnapshot;
import java.util.Objects;

/**
 * When a reservation is next looked at, on each of the two clocks: {@code hold} on the wall clock (extends, the
 * hold's expiry, the flush of late usage), because an authority's hold expires in real time however far behind the
 * task is; {@code input} on the input clock (idle timeout, end of retention), because silence can only be judged
 * from input the task has read. Either is null when nothing is due on that clock.
 *
 * @param hold  wall-clock deadline (epoch ms), or null
 * @param input input-clock deadline (epoch ms), or null
 */
public record Deadlines(Long hold, Long input) {

    /** No deadline on either clock. */
    public static final Deadlines NONE = new Deadlines(null, null);

    /** The deadlines a reservation is indexed at. */
    public static Deadlines of(final ReservationSnapshot reservation) {
        return new Deadlines(reservation.getNextCheckAtMs(), reservation.getNextInputCheckAtMs());
    }

    // Written out, not the record's generated equals: every chunk compares its deadlines, and the generated one goes
    // through a method handle per field.
    @Override
    public boolean equals(final Object other) {
        return other instanceof Deadlines that && Objects.equals(hold, that.hold) && Objects.equals(input, that.input);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hold, input);
    }
}
