package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the {@link ParentDeathWatchdog} agent jar from this module's own class file, so the agent works however this
 * module is packaged (a jar, a classes directory, a shaded demo jar) and the child's class path gets nothing else.
 */
public final class WatchdogAgentJar {

    /** The agent jar's file name inside the directory it is written to. */
    public static final String FILE_NAME = "parent-death-watchdog.jar";

    private WatchdogAgentJar() {
    }

    /** Writes (or overwrites) the agent jar in {@code directory} and returns its path. */
    public static Path writeInto(final Path directory) {
        final Path jar = directory.resolve(FILE_NAME);
        final Class<ParentDeathWatchdog> agent = ParentDeathWatchdog.class;
        final String classFile = agent.getName().replace('.', '/') + ".class";
        try (InputStream classBytes = agent.getClassLoader().getResourceAsStream(classFile);
             OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jarOut = new JarOutputStream(out, manifest(agent))) {
            if (classBytes == null) {
                throw new IllegalStateException(classFile + " is not readable from the class path");
            }
            jarOut.putNextEntry(new JarEntry(classFile));
            classBytes.transferTo(jarOut);
            jarOut.closeEntry();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
        return jar;
    }

    private static Manifest manifest(final Class<?> agent) {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), agent.getName());
        return manifest;
    }
}
