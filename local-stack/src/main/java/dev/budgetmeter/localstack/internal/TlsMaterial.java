package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key store and a trust store for the TLS listeners of a local cluster, made for one run with the JDK's own
 * {@code keytool}: one self-signed EC certificate for {@code 127.0.0.1} and {@code localhost} (every broker listens on
 * loopback, so one certificate serves them all), valid for two days, in a PKCS12 key store, and a PKCS12 trust store
 * holding that certificate alone. Clients that trust it verify the broker's host name as usual
 * ({@code ssl.endpoint.identification.algorithm=https}, Kafka's default). Both stores share one random password, and
 * both files are readable by their owner only.
 *
 * @param keyStore   the brokers' key store
 * @param trustStore the clients' trust store
 * @param password   the password of both stores and of the key
 */
public record TlsMaterial(Path keyStore, Path trustStore, String password) {

    /** The store type of both files. */
    public static final String STORE_TYPE = "PKCS12";

    private static final String ALIAS = "budget-meter-local-broker";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    /** Generates both stores into {@code directory}. */
    public static TlsMaterial generate(final Path directory) {
        Directories.create(directory);
        final TlsMaterial material = new TlsMaterial(directory.resolve("broker.keystore.p12"),
                directory.resolve("client.truststore.p12"), Secrets.random());
        final Path certificate = directory.resolve("broker.crt");
        material.keytool(directory, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:" + Loopback.HOST + ",dns:localhost", "-validity", "2",
                "-keystore", material.keyStore.toString(), "-storetype", STORE_TYPE,
                "-storepass:env", "STORE_PASSWORD", "-keypass:env", "STORE_PASSWORD");
        material.keytool(directory, "-exportcert", "-rfc", "-alias", ALIAS, "-file", certificate.toString(),
                "-keystore", material.keyStore.toString(), "-storetype", STORE_TYPE, "-storepass:env", "STORE_PASSWORD");
        material.keytool(directory, "-importcert", "-noprompt", "-alias", ALIAS, "-file", certificate.toString(),
                "-keystore", material.trustStore.toString(), "-storetype", STORE_TYPE,
                "-storepass:env", "STORE_PASSWORD");
        OwnerOnly.restrict(material.keyStore);
        OwnerOnly.restrict(material.trustStore);
        return material;
    }

    /** Never the password: this shows up in logs. */
    @Override
    public String toString() {
        return "TlsMaterial[keyStore=" + keyStore + ", trustStore=" + trustStore + ", password=[hidden]]";
    }

    /** Runs keytool with the password in its environment, never on its command line (where {@code ps} shows it). */
    private void keytool(final Path directory, final String... arguments) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        final Path output = directory.resolve("keytool.log");
        try {
            final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            builder.environment().put("STORE_PASSWORD", password);
            final Process keytool = builder.start();
            if (!keytool.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " took longer than "
                        + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed with exit code "
                        + keytool.exitValue() + ": " + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (the JDK's keytool)", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
