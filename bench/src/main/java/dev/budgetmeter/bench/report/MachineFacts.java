package dev.budgetmeter.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The facts about the machine and software a run measured on, shown on top of every report: the figures mean
 * little without them. Immutable.
 *
 * @param timestamp         when the run started, ISO-8601 UTC
 * @param cores             processors available to the JVM
 * @param memoryMb          physical memory, or -1 when the JVM does not say
 * @param maxHeapMb         the JVM's maximum heap
 * @param loadAverage       system load average over the last minute at the start, or -1 when unknown
 * @param os                name, version and architecture of the operating system
 * @param jvm               vendor, runtime name and version of the JVM
 * @param kafkaVersion      version of the Kafka client, Streams and broker
 * @param avroVersion       version of Avro
 * @param jmhVersion        version of JMH
 * @param gitCommit         {@code git describe --always --dirty} of the working directory, or {@code unknown}
 */
public record MachineFacts(String timestamp, int cores, long memoryMb, long maxHeapMb, double loadAverage, String os,
                           String jvm, String kafkaVersion, String avroVersion, String jmhVersion, String gitCommit) {

    private static final long MB = 1024L * 1024L;

    /** Collects the facts of this JVM and machine, stamped with {@code clock}'s time. */
    public static MachineFacts collect(final Clock clock) {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return new MachineFacts(clock.instant().toString(),
                Runtime.getRuntime().availableProcessors(),
                physicalMemoryMb(os),
                Runtime.getRuntime().maxMemory() / MB,
                os.getSystemLoadAverage(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.name") + " "
                        + System.getProperty("java.runtime.version"),
                AppInfoParser.getVersion(),
                mavenVersion("org.apache.avro", "avro"),
                mavenVersion("org.openjdk.jmh", "jmh-core"),
                gitDescribe());
    }

    private static long physicalMemoryMb(final OperatingSystemMXBean os) {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / MB;
        }
        return -1;
    }

    /** The version in the artifact's Maven descriptor, which jars (shaded ones too) carry. */
    private static String mavenVersion(final String groupId, final String artifactId) {
        final String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = MachineFacts.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (final IOException e) {
            return "unknown";
        }
    }

    private static String gitDescribe() {
        try {
            final Process git = new ProcessBuilder("git", "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            final String output;
            try (InputStream in = git.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return "unknown";
            }
            return git.exitValue() == 0 && !output.isEmpty() ? output : "unknown";
        } catch (final IOException e) {
            return "unknown";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
