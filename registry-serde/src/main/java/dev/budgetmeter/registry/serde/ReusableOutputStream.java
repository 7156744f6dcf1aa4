package dev.budgetmeter.registry.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that one thread reuses for payload after payload: unlike {@link java.io.ByteArrayOutputStream}
 * it takes no lock per write, and it gives a buffer grown by one huge payload back instead of keeping it forever.
 */
final class ReusableOutputStream extends OutputStream {

    private static final int INITIAL_CAPACITY = 256;
    private static final int RETAINED_CAPACITY = 1 << 20;

    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int count;

    @Override
    public void write(final int b) {
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) {
        ensureCapacity(count + length);
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    /** Empties the stream for the next payload. */
    void reset() {
        count = 0;
        if (buffer.length > RETAINED_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
    }

    /** A copy of what was written since the last reset. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, count);
    }

    private void ensureCapacity(final int needed) {
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
    }
}
