package dev.confab.scale;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for a server that is down but whose port answers: accepts each connection, notes when
 * and from whom (the identity cookie of its request), and closes it without answering (a
 * WebSocket handshake that fails). For measuring how clients retry.
 */
final class ConnectionAttempts implements AutoCloseable {

	private final ServerSocket server;

	private static final Pattern IDENTITY = Pattern.compile("confab_id=([^;\\s]+)");

	private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

	/** One connection: when it was accepted, and whose it was ("" when its request had no identity). */
	record Attempt(long nanoTime, String client) {
	}

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
				long at = System.nanoTime();
				socket.setSoLinger(true, 0);
				this.attempts.add(new Attempt(at, clientOf(socket)));
			}
			catch (IOException ex) {
				// closed, or the client gave up first: either way nothing to note
			}
		}
	}

	/** The request head's identity cookie; the head is small and sent at once. */
	private static String clientOf(Socket socket) throws IOException {
		socket.setSoTimeout(1000);
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[2048];
		int read;
		while (head.size() < 16_384 && (read = in.read(buffer)) > 0) {
			head.write(buffer, 0, read);
			if (head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
				break;
			}
		}
		Matcher identity = IDENTITY.matcher(head.toString(StandardCharsets.ISO_8859_1));
		return identity.find() ? identity.group(1) : "";
	}

	/** When each client's attempts came, in milliseconds after {@code nanoTime}, in order. */
	Map<String, List<Long>> millisSinceByClient(long nanoTime) {
		Map<String, List<Long>> byClient = new LinkedHashMap<>();
		for (Attempt attempt : this.attempts) {
			byClient.computeIfAbsent(attempt.client(), c -> new ArrayList<>()).add((attempt.nanoTime() - nanoTime) / 1_000_000);
		}
		return byClient;
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
