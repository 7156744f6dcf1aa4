package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a file that holds a secret (a broker configuration with its JAAS passwords, a key store, a client's
 * properties) readable and writable by its owner only, where the file system knows POSIX permissions. Elsewhere the
 * file keeps the temp directory's protection.
 */
public final class OwnerOnly {

    private OwnerOnly() {
    }

    /** Sets {@code rw-------} on {@code file} when the file system supports it. */
    public static void restrict(final Path file) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot restrict the permissions of " + file, e);
        }
    }
}
