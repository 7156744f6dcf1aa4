package dev.budgetmeter.localstack.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Extracts a {@code .tar.gz} once into a cache directory and reuses it afterwards.
 *
 * <p>Extraction is atomic: the archive is unpacked into a sibling temp directory which is then renamed into place, so
 * a reader never sees a half-extracted tree, and two JVMs extracting at the same time both end up using one complete
 * copy (the loser of the rename discards its own). The system {@code tar} does the unpacking: the JDK has no tar
 * reader and this keeps the module free of an archive library; {@code tar} ships with Linux, macOS and Windows 10+.
 */
public final class TarballCache {

    private static final Logger LOG = LoggerFactory.getLogger(TarballCache.class);
    private static final long EXTRACT_TIMEOUT_MINUTES = 5;

    private TarballCache() {
    }

    /**
     * The Apicurio distribution extracted from {@code tarball} into {@code target}, extracting it first if
     * {@code target} does not hold one yet.
     */
    public static ApicurioHome extractOnce(final Path tarball, final Path target) {
        return ApicurioHome.find(target).orElseGet(() -> extract(tarball, target));
    }

    private static ApicurioHome extract(final Path tarball, final Path target) {
        final Deadline extraction = Deadline.in(Duration.ofMinutes(EXTRACT_TIMEOUT_MINUTES));
        LOG.info("Extracting {} into {} (once; later starts reuse it)", tarball, target);
        final Path parent = Directories.create(target.toAbsolutePath().getParent());
        final Path partial;
        try {
            partial = Files.createTempDirectory(parent, target.getFileName() + ".partial-");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a temp directory in " + parent, e);
        }
        try {
            untar(tarball, partial);
            ApicurioHome.at(partial);
            moveIntoPlace(partial, target);
        } finally {
            Directories.deleteRecursively(partial);
        }
        LOG.info("Extracted {} in {}", tarball.getFileName(), Deadline.seconds(extraction.elapsed()));
        return ApicurioHome.at(target);
    }

    private static void moveIntoPlace(final Path extracted, final Path target) {
        try {
            Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (final FileSystemException e) {
            // Most likely another JVM renamed its own copy into place first; use that one if it is complete.
            if (ApicurioHome.find(target).isEmpty()) {
                throw new UncheckedIOException("cannot move the extracted distribution into " + target, e);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot move the extracted distribution into " + target, e);
        }
    }

    private static void untar(final Path tarball, final Path into) {
        try {
            runTar(tarball, into);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot extract " + tarball + " into " + into, e);
        }
    }

    private static void runTar(final Path tarball, final Path into) throws IOException {
        final Path output = into.resolve("tar-output.txt");
        final Process tar = new ProcessBuilder(List.of("tar", "-xzf", tarball.toString(), "-C", into.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!tar.waitFor(EXTRACT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IOException("tar did not finish within " + EXTRACT_TIMEOUT_MINUTES + " minutes");
            }
        } catch (final InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting", e);
        }
        if (tar.exitValue() != 0) {
            throw new IOException("tar exited with " + tar.exitValue() + ": "
                    + Files.readString(output, Charset.defaultCharset()).strip());
        }
        Files.delete(output);
    }
}
