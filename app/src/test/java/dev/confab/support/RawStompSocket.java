package dev.confab.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket that sends and receives raw STOMP text, for tests of the transport's frame handling (JDK client). */
public final class RawStompSocket implements AutoCloseable {

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final WebSocket socket;

	private volatile boolean reading = true;

	private RawStompSocket(HttpClient http, int port, String cookie, String origin) throws Exception {
		WebSocket.Builder builder = http.newWebSocketBuilder().subprotocols("v12.stomp");
		if (cookie != null) {
			builder.header("Cookie", cookie);
		}
		if (origin != null) {
			builder.header("Origin", origin);
		}
		this.socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/stomp"), new Listener())
				.get(10, TimeUnit.SECONDS);
	}

	public static RawStompSocket open(int port, String cookie) throws Exception {
		return new RawStompSocket(HttpClient.newHttpClient(), port, cookie, "http://localhost:" + port);
	}

	public static RawStompSocket open(int port, String cookie, String origin) throws Exception {
		return new RawStompSocket(HttpClient.newHttpClient(), port, cookie, origin);
	}

	/** Over a shared client: tests that open many sockets should not start an HttpClient (and its threads) for each. */
	public static RawStompSocket open(HttpClient http, int port, String cookie) throws Exception {
		return new RawStompSocket(http, port, cookie, "http://localhost:" + port);
	}

	public RawStompSocket send(String frame) {
		this.socket.sendText(frame, true).join();
		return this;
	}

	/** A WebSocket pong control frame (not a message) with this payload, as a client may send unasked. */
	public RawStompSocket sendPong(String payload) {
		this.socket.sendPong(java.nio.ByteBuffer.wrap(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))).join();
		return this;
	}

	/** A WebSocket ping control frame with this payload. */
	public RawStompSocket sendPing(String payload) {
		this.socket.sendPing(java.nio.ByteBuffer.wrap(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))).join();
		return this;
	}

	public RawStompSocket connect() throws InterruptedException {
		send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
		String connected = next();
		if (!connected.startsWith("CONNECTED")) {
			throw new AssertionError("Expected CONNECTED, got " + connected);
		}
		return this;
	}

	/** The next frame the server sent, heart-beats skipped. */
	public String next() throws InterruptedException {
		return next(java.time.Duration.ofSeconds(10));
	}

	/** The next frame the server sent within {@code timeout} (for each frame), heart-beats skipped. */
	public String next(java.time.Duration timeout) throws InterruptedException {
		while (true) {
			String frame = this.frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				throw new AssertionError("No frame from the server within " + describe(timeout));
			}
			if (!frame.equals("\n")) {
				return frame;
			}
		}
	}

	private static String describe(java.time.Duration timeout) {
		return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
	}

	/** The close code once the server closed the socket. */
	public int awaitClose() throws Exception {
		return this.closed.get(10, TimeUnit.SECONDS);
	}

	/** Stops taking frames off the socket, like a client whose tab froze: the server's buffers fill up. */
	public void stopReading() {
		this.reading = false;
	}

	public boolean isClosed() {
		return this.closed.isDone();
	}

	@Override
	public void close() {
		this.socket.abort();
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				frames.add(this.partial.toString());
				this.partial.setLength(0);
			}
			if (reading) {
				webSocket.request(1);
			}
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed.complete(-1);
		}
	}
}
