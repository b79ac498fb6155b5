package dev.confab.bench.client;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One STOMP session over the JDK's WebSocket that never blocks a thread: frames reach the
 * {@link Listener} as they arrive (on the HttpClient's executor, one at a time per socket), sends
 * are chained (the JDK allows one outstanding send per socket). Thousands of these share a few
 * threads, which is what a load driver on the measured machine needs.
 */
public final class StompClient implements WebSocket.Listener {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

	/** What the owner of a client hears. Exceptions thrown here end the socket as an error. */
	public interface Listener {

		void onMessage(StompClient client, StompFrame message);

		default void onError(StompClient client, StompFrame error) {
		}

		default void onClosed(StompClient client, int code, Throwable cause) {
		}
	}

	private final Listener listener;

	private final StringBuilder partial = new StringBuilder();

	private final CompletableFuture<StompFrame> connected = new CompletableFuture<>();

	private final Map<String, CompletableFuture<Void>> receipts = new ConcurrentHashMap<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final AtomicInteger ids = new AtomicInteger();

	private volatile WebSocket socket;

	private volatile ScheduledFuture<?> heartbeats;

	/** Set once we close or disconnect: the end that follows is ours, not news for the listener. */
	private volatile boolean closing;

	private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

	private StompClient(Listener listener) {
		this.listener = listener;
	}

	/** Opens the WebSocket, sends CONNECT and completes once CONNECTED came (fails on ERROR, a close or 30 s). */
	public static CompletableFuture<StompClient> connect(HttpClient http, StompEndpoint endpoint, Listener listener) {
		StompClient client = new StompClient(listener);
		WebSocket.Builder builder = http.newWebSocketBuilder().subprotocols("v12.stomp").connectTimeout(CONNECT_TIMEOUT);
		endpoint.handshakeHeaders().forEach(builder::header);
		return builder.buildAsync(endpoint.uri(), client).thenCompose(socket -> {
			client.socket = socket;
			client.send(new StompFrame("CONNECT", endpoint.connectHeaders(), ""));
			return client.connected.orTimeout(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}).thenApply(frame -> client);
	}

	/** SUBSCRIBE with a receipt; completes when the RECEIPT came (with RabbitMQ: once the queue is bound). */
	public CompletableFuture<Void> subscribe(String destination) {
		int n = this.ids.incrementAndGet();
		return withReceipt("sub-" + n, StompFrame.of("SUBSCRIBE", "id", "s" + n, "destination", destination));
	}

	/** A SEND of a JSON body. */
	public void send(String destination, String json) {
		send(destination, () -> json);
	}

	/** A SEND of a JSON body made when the socket takes it (see {@link #sendText(Supplier)}). */
	public void send(String destination, Supplier<String> json) {
		sendText(() -> StompFrame.of("SEND", "destination", destination, "content-type", "application/json")
				.withBody(json.get()).encode());
	}

	/** A frame that completes when its receipt comes back. */
	public CompletableFuture<Void> withReceipt(String receipt, StompFrame frame) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.receipts.put(receipt, done);
		Map<String, String> headers = new LinkedHashMap<>(frame.headers());
		headers.put("receipt", receipt);
		send(new StompFrame(frame.command(), headers, frame.body()));
		return done;
	}

	/** DISCONNECT with a receipt, then the socket's close; completes when the socket closed (or after 10 s). */
	public CompletableFuture<Void> disconnect() {
		if (this.closed.isDone()) {
			return CompletableFuture.completedFuture(null);
		}
		this.closing = true;
		withReceipt("bye", StompFrame.of("DISCONNECT")).orTimeout(10, TimeUnit.SECONDS)
			.whenComplete((ok, failure) -> close());
		return this.closed.thenApply(code -> (Void) null).completeOnTimeout(null, 12, TimeUnit.SECONDS);
	}

	public void send(StompFrame frame) {
		sendText(frame.encode());
	}

	/** Sends text after everything sent before it. */
	public void sendText(String text) {
		sendText(() -> text);
	}

	/**
	 * Sends the text made at the moment the socket takes it, after everything sent before it: the
	 * JDK's WebSocket takes one frame at a time, where a browser's buffers every send at once, so
	 * what a frame carries of the time it left must be read when it leaves.
	 */
	public synchronized void sendText(Supplier<String> text) {
		WebSocket open = this.socket;
		this.sending = this.sending.thenCompose(done -> open.sendText(text.get(), true));
	}

	/**
	 * Sends heart-beats as CONNECTED agreed (the larger of ours and the server's wish), at a random
	 * phase so that thousands of sessions do not beat at once. Nothing when either side said 0.
	 */
	public void startHeartbeats(ScheduledExecutorService timer, long ourMillis) {
		String agreed = this.connected.join().header("heart-beat");
		long theirs = agreed == null ? 0 : Long.parseLong(agreed.split(",")[1].strip());
		if (ourMillis <= 0 || theirs <= 0) {
			return;
		}
		long every = Math.max(ourMillis, theirs);
		this.heartbeats = timer.scheduleAtFixedRate(() -> sendText("\n"), ThreadLocalRandom.current().nextLong(every),
				every, TimeUnit.MILLISECONDS);
	}

	/**
	 * Sends a newline (a STOMP heart-beat, allowed at any time) every {@code millis}: servers that
	 * close WebSockets silent for a while (RabbitMQ Web-STOMP's cowboy: 60 s) keep a receiver that
	 * never sends open.
	 */
	public void keepAlive(ScheduledExecutorService timer, long millis) {
		this.heartbeats = timer.scheduleAtFixedRate(() -> sendText("\n"), millis, millis, TimeUnit.MILLISECONDS);
	}

	/** A normal WebSocket close; dropped after 5 s if the server does not answer it. */
	public void close() {
		this.closing = true;
		stopHeartbeats();
		WebSocket open = this.socket;
		if (open == null) {
			return;
		}
		synchronized (this) {
			this.sending = this.sending.thenCompose(done -> open.sendClose(WebSocket.NORMAL_CLOSURE, ""))
					.exceptionally(failure -> null);
		}
		CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(() -> {
			if (!this.closed.isDone()) {
				abort();
			}
		});
	}

	/** Drops the TCP connection without a close frame or DISCONNECT; the listener hears nothing of it. */
	public void abort() {
		stopHeartbeats();
		WebSocket open = this.socket;
		if (open != null) {
			open.abort();
		}
		ended(-1, null, false);
	}

	public boolean isOpen() {
		return !this.closed.isDone();
	}

	public CompletableFuture<Integer> closed() {
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
			// Whole frames are handed on; a frame may also continue in the next WebSocket message.
			String text = this.partial.toString();
			int start = 0;
			int end;
			while ((end = text.indexOf('\0', start)) >= 0) {
				dispatch(StompFrame.decode(text.substring(start, end)));
				start = end + 1;
			}
			this.partial.delete(0, start);
			if (this.partial.chars().allMatch(c -> c == '\n' || c == '\r')) {
				this.partial.setLength(0);
			}
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		ended(statusCode, null, true);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		ended(-1, error, true);
	}

	private void dispatch(StompFrame frame) {
		if (frame == null) {
			return;
		}
		switch (frame.command()) {
			case "MESSAGE" -> this.listener.onMessage(this, frame);
			case "CONNECTED" -> this.connected.complete(frame);
			case "RECEIPT" -> {
				CompletableFuture<Void> waiting = this.receipts.remove(frame.header("receipt-id"));
				if (waiting != null) {
					waiting.complete(null);
				}
			}
			case "ERROR" -> {
				IllegalStateException refused = new IllegalStateException("ERROR: " + frame.header("message"));
				this.connected.completeExceptionally(refused);
				this.receipts.values().forEach(waiting -> waiting.completeExceptionally(refused));
				this.listener.onError(this, frame);
			}
			default -> {
				// nothing else is sent to clients
			}
		}
	}

	/** Once per socket: pending CONNECT and receipts fail; the listener hears of it unless we aborted. */
	private void ended(int code, Throwable error, boolean tell) {
		stopHeartbeats();
		if (this.closed.complete(code)) {
			IllegalStateException gone = new IllegalStateException("socket closed (" + code + ")", error);
			this.connected.completeExceptionally(gone);
			this.receipts.values().forEach(waiting -> waiting.completeExceptionally(gone));
			if (tell && !this.closing) {
				this.listener.onClosed(this, code, error);
			}
		}
	}

	private void stopHeartbeats() {
		ScheduledFuture<?> running = this.heartbeats;
		if (running != null) {
			running.cancel(false);
		}
	}
}
