package dev.confab.scale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A STOMP client over the JDK's WebSocket that never blocks a thread: frames are handed to a
 * callback as they arrive (on the HttpClient's executor, one at a time per socket), sends are
 * chained. Hundreds of these share a few threads, which is what a load test on two cores needs.
 */
final class AsyncStompSocket implements WebSocket.Listener {

	/** One STOMP frame from the server (heart-beats are not handed on). */
	record Frame(String command, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name);
		}
	}

	private final BiConsumer<AsyncStompSocket, Frame> onFrame;

	private final BiConsumer<Integer, Throwable> onClose;

	private final StringBuilder partial = new StringBuilder();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private volatile WebSocket socket;

	private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

	private AsyncStompSocket(BiConsumer<AsyncStompSocket, Frame> onFrame, BiConsumer<Integer, Throwable> onClose) {
		this.onFrame = onFrame;
		this.onClose = onClose;
	}

	/**
	 * Opens {@code ws://localhost:<port>/stomp} with the cookie and the page's own Origin and sends
	 * CONNECT. {@code onFrame} gets this socket and each frame; {@code onClose} the close code, or -1
	 * and the error when the connection failed or dropped. An exception thrown by {@code onFrame}
	 * ends the socket as an error (the JDK's rule for listeners), so that it is never lost.
	 */
	static CompletableFuture<AsyncStompSocket> open(HttpClient http, int port, String cookie,
			BiConsumer<AsyncStompSocket, Frame> onFrame, BiConsumer<Integer, Throwable> onClose) {
		AsyncStompSocket stomp = new AsyncStompSocket(onFrame, onClose);
		return http.newWebSocketBuilder()
				.subprotocols("v12.stomp")
				.header("Cookie", cookie)
				.header("Origin", "http://localhost:" + port)
				.connectTimeout(Duration.ofSeconds(10))
				.buildAsync(URI.create("ws://localhost:" + port + "/stomp"), stomp)
				.thenApply(socket -> {
					stomp.socket = socket;
					stomp.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
					return stomp;
				});
	}

	/** Sends one frame after the ones before it (the JDK allows one outstanding send per socket). */
	synchronized void send(String frame) {
		this.sending = this.sending.thenCompose(done -> this.socket.sendText(frame, true));
	}

	void subscribe(String id, String destination, String receipt) {
		send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nreceipt:" + receipt + "\n\n\0");
	}

	void sendJson(String destination, String json) {
		send("SEND\ndestination:" + destination + "\ncontent-type:application/json\n\n" + json + "\0");
	}

	/** Ends the TCP connection without a close frame or DISCONNECT. */
	void abort() {
		WebSocket socket = this.socket;
		if (socket != null) {
			socket.abort();
		}
	}

	CompletableFuture<Integer> closed() {
		return this.closed;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.socket = webSocket;
		webSocket.request(1);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			String text = this.partial.toString();
			this.partial.setLength(0);
			int start = 0;
			int end;
			while ((end = text.indexOf('\0', start)) >= 0) {
				dispatch(text.substring(start, end));
				start = end + 1;
			}
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		ended(statusCode, null);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		ended(-1, error);
	}

	private void ended(int code, Throwable error) {
		if (this.closed.complete(code)) {
			this.onClose.accept(code, error);
		}
	}

	private void dispatch(String raw) {
		String frame = raw.replaceFirst("^[\\r\\n]+", "");
		if (frame.isEmpty()) {
			return;
		}
		int headersEnd = frame.indexOf("\n\n");
		String head = headersEnd < 0 ? frame : frame.substring(0, headersEnd);
		String body = headersEnd < 0 ? "" : frame.substring(headersEnd + 2);
		String[] lines = head.split("\n");
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.putIfAbsent(lines[i].substring(0, colon), unescape(lines[i].substring(colon + 1)));
			}
		}
		this.onFrame.accept(this, new Frame(lines[0].trim(), headers, body));
	}

	private static String unescape(String value) {
		return value.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
	}
}
