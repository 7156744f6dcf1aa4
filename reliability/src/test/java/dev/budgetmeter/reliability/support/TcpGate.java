package dev.budgetmeter.reliability.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a free loopback port that can cut the way to its target: while closed, every open connection
 * is dropped and new ones are closed at once, as when a server is down. It lets a test decide the moment a client
 * sees a server come back, independently of the server's own restart (for example to restore the server's data
 * first). Forwards bytes untouched in both directions.
 */
public final class TcpGate implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean passing = true;

    private TcpGate(final ServerSocket server, final String targetHost, final int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts forwarding from a free loopback port to {@code targetHost:targetPort}; the gate starts open. */
    public static TcpGate to(final String targetHost, final int targetPort) {
        try {
            final TcpGate gate = new TcpGate(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetHost,
                    targetPort);
            daemon(gate::acceptLoop, "tcp-gate-accept").start();
            return gate;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #pass()}. */
    public void cut() {
        passing = false;
        open.forEach(TcpGate::closeQuietly);
        open.clear();
    }

    /** Forwards again. */
    public void pass() {
        passing = true;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            final Socket client;
            try {
                client = server.accept();
            } catch (final IOException e) {
                continue; // the server socket was closed: the loop ends
            }
            if (passing) {
                forward(client);
            } else {
                closeQuietly(client);
            }
        }
    }

    private void forward(final Socket client) {
        try {
            final Socket target = new Socket(targetHost, targetPort);
            open.add(client);
            open.add(target);
            daemon(() -> pump(client, target), "tcp-gate-up").start();
            daemon(() -> pump(target, client), "tcp-gate-down").start();
        } catch (final IOException e) {
            closeQuietly(client); // the target is down: the client sees its connection dropped, as it would
        }
    }

    private void pump(final Socket from, final Socket to) {
        final byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (final IOException e) {
            // One side closed or the gate cut the connection; closing both below ends the other pump too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static Thread daemon(final Runnable task, final String name) {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(final AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (final Exception e) {
            // Closing is best effort: the connection is gone either way.
        }
    }
}
