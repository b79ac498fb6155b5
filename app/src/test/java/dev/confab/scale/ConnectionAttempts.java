package dev.confab.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for a server that is down but whose port answers: accepts each connection, notes when,
 * and closes it at once (a WebSocket handshake that fails). For measuring how clients retry.
 */
final class ConnectionAttempts implements AutoCloseable {

	private final ServerSocket server;

	private final List<Long> acceptedAt = new CopyOnWriteArrayList<>();

	private ConnectionAttempts(ServerSocket server) {
		this.server = server;
	}

	static ConnectionAttempts listen(int port) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
			ConnectionAttempts attempts = new ConnectionAttempts(server);
			Thread acceptor = new Thread(attempts::acceptUntilClosed, "connection-attempts-" + port);
			acceptor.setDaemon(true);
			acceptor.start();
			return attempts;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on " + port, ex);
		}
	}

	private void acceptUntilClosed() {
		while (!this.server.isClosed()) {
			try (Socket socket = this.server.accept()) {
				this.acceptedAt.add(System.nanoTime());
				socket.setSoLinger(true, 0);
			}
			catch (IOException ex) {
				// closed, or the client gave up first: either way nothing to note
			}
		}
	}

	/** When each attempt came, in milliseconds after {@code nanoTime}, in order. */
	List<Long> millisSince(long nanoTime) {
		List<Long> millis = new ArrayList<>();
		this.acceptedAt.forEach(at -> millis.add((at - nanoTime) / 1_000_000));
		return millis;
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}
}
