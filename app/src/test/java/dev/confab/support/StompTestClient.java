package dev.confab.support;

import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import java.nio.charset.StandardCharsets;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An independent STOMP client for tests: spring-websocket's WebSocketStompClient over Tomcat's
 * JSR-356 client, nothing shared with the server's transport. Collects every MESSAGE and ERROR.
 */
public final class StompTestClient implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Times receipts out; shared by every test client. */
	private static final ThreadPoolTaskScheduler RECEIPT_TIMER = receiptTimer();

	private static ThreadPoolTaskScheduler receiptTimer() {
		ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
		timer.setDaemon(true);
		timer.setThreadNamePrefix("stomp-test-receipts-");
		timer.initialize();
		return timer;
	}

	/** One received MESSAGE: where it came from and its JSON body. */
	public record Received(String destination, JsonNode body) {
	}

	private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<String> error = new CompletableFuture<>();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final StompSession session;

	private final WebSocketSession socket;

	private StompTestClient(StompSession session, WebSocketSession socket) {
		this.session = session;
		this.socket = socket;
	}

	/** Connects with the identity cookie and the page's own Origin, then subscribes to the personal queue. */
	public static StompTestClient connect(int port, String cookie) throws Exception {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(256 * 1024);
		SocketCapture sockets = new SocketCapture(new StandardWebSocketClient(container));
		WebSocketStompClient client = new WebSocketStompClient(sockets);
		client.setMessageConverter(new JsonText());
		client.setInboundMessageSizeLimit(256 * 1024);
		client.setTaskScheduler(RECEIPT_TIMER);
		client.setDefaultHeartbeat(new long[] {0, 0});
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add("Cookie", cookie);
		handshake.add("Origin", "http://localhost:" + port);
		Holder holder = new Holder();
		StompSession session = client.connectAsync(URI.create("ws://localhost:" + port + "/stomp"), handshake,
				new StompHeaders(), holder).get(10, TimeUnit.SECONDS);
		session.setAutoReceipt(true);
		StompTestClient stomp = new StompTestClient(session, sockets.session.get(10, TimeUnit.SECONDS));
		holder.client = stomp;
		stomp.subscribe("/user/queue/events");
		return stomp;
	}

	public String sessionId() {
		return this.session.getSessionId();
	}

	/** Subscribes and waits for the server's RECEIPT, so that what happens next is seen. */
	public StompSession.Subscription subscribe(String destination) {
		CompletableFuture<Void> receipt = new CompletableFuture<>();
		StompSession.Subscription subscription = subscribeNoWait(destination);
		subscription.addReceiptTask(() -> receipt.complete(null));
		subscription.addReceiptLostTask(() -> receipt.completeExceptionally(new AssertionError("No RECEIPT for " + destination)));
		try {
			receipt.get(15, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("Subscribing to " + destination + " failed", ex);
		}
		return subscription;
	}

	private StompSession.Subscription subscribeNoWait(String destination) {
		return this.session.subscribe(destination, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				messages.add(new Received(headers.getDestination(), JSON.readTree((String) payload)));
			}
		});
	}

	public void send(String destination, String json) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
		this.session.send(headers, json);
	}

	/**
	 * SEND and wait for the server's RECEIPT: the frame has been handled (frames of one session are
	 * handled in order) before anything this test does next, a socket close included.
	 */
	public void sendAndAwaitReceipt(String destination, String json) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
		CompletableFuture<Void> receipt = new CompletableFuture<>();
		StompSession.Receiptable sent = this.session.send(headers, json);
		sent.addReceiptTask(() -> receipt.complete(null));
		sent.addReceiptLostTask(() -> receipt.completeExceptionally(new AssertionError("No RECEIPT for SEND to " + destination)));
		try {
			receipt.get(15, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("SEND to " + destination + " got no RECEIPT", ex);
		}
	}

	/** The next message, failing the test after the timeout. */
	public Received next(Duration timeout) throws InterruptedException {
		Received received = this.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (received == null) {
			throw new AssertionError("No message within " + timeout);
		}
		return received;
	}

	public Received next() throws InterruptedException {
		return next(Duration.ofSeconds(10));
	}

	/** The first message that matches, skipping others (for topics that other activity also feeds). */
	public Received nextMatching(java.util.function.Predicate<Received> wanted, String what) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		List<Received> skipped = new ArrayList<>();
		while (System.nanoTime() < end) {
			Received received = this.messages.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (received != null && wanted.test(received)) {
				return received;
			}
			if (received != null) {
				skipped.add(received);
			}
		}
		throw new AssertionError("No message with " + what + " within 15 s; got " + skipped);
	}

	/** Every message arriving within the window (for "nothing else came" checks). */
	public List<Received> drain(Duration window) throws InterruptedException {
		List<Received> all = new ArrayList<>();
		long end = System.nanoTime() + window.toNanos();
		Received received;
		while ((received = this.messages.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
			all.add(received);
		}
		return all;
	}

	/** The ERROR frame's message header. */
	public String awaitError() throws Exception {
		return this.error.get(10, TimeUnit.SECONDS);
	}

	/** What the test can tell about the session's state without waiting: for failure messages. */
	public String describeState() {
		String err = this.error.isDone() ? this.error.handle((message, ex) -> ex != null ? ex.toString() : message).join()
				: null;
		return (this.session.isConnected() ? "connected" : "not connected") + (this.closed.isDone() ? ", socket closed" : "")
				+ (err != null ? ", ERROR: " + err : "");
	}

	public void awaitClosed() throws Exception {
		this.closed.get(10, TimeUnit.SECONDS);
	}

	public boolean isConnected() {
		return this.session.isConnected();
	}

	/**
	 * Closes the WebSocket without a STOMP DISCONNECT, the way a network drop, a crashed page or a
	 * closed laptop lid ends it: for the server that is no leave (see docs/protocol.md, "Away and the
	 * grace period"). {@link #close()} sends DISCONNECT, which is one.
	 */
	public void drop() {
		try {
			this.socket.close(CloseStatus.GOING_AWAY);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		try {
			awaitClosed();
		}
		catch (Exception ex) {
			throw new AssertionError("The socket did not close after drop()", ex);
		}
	}

	@Override
	public void close() {
		if (this.session.isConnected()) {
			try {
				this.session.disconnect();
			}
			catch (org.springframework.messaging.MessageDeliveryException ex) {
				// The server closed the socket a moment ago (after an ERROR): nothing left to close.
			}
		}
	}

	/** Remembers the WebSocket under the STOMP session, so that a test can close it without a DISCONNECT. */
	private static final class SocketCapture implements WebSocketClient {

		private final WebSocketClient delegate;

		private final CompletableFuture<WebSocketSession> session = new CompletableFuture<>();

		SocketCapture(WebSocketClient delegate) {
			this.delegate = delegate;
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
				Object... uriVariables) {
			return this.delegate.execute(handler, uriTemplate, uriVariables).whenComplete(this::capture);
		}

		@Override
		public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, WebSocketHttpHeaders headers,
				URI uri) {
			return this.delegate.execute(handler, headers, uri).whenComplete(this::capture);
		}

		private void capture(WebSocketSession socket, Throwable failure) {
			if (socket != null) {
				this.session.complete(socket);
			}
			else {
				this.session.completeExceptionally(failure);
			}
		}
	}

	/** JSON bodies as plain strings, whatever their content type. */
	private static final class JsonText implements MessageConverter {

		@Override
		public Object fromMessage(Message<?> message, Class<?> targetClass) {
			return new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
		}

		@Override
		public Message<?> toMessage(Object payload, MessageHeaders headers) {
			return MessageBuilder.createMessage(((String) payload).getBytes(StandardCharsets.UTF_8), headers);
		}
	}

	private static final class Holder extends StompSessionHandlerAdapter {

		private volatile StompTestClient client;

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			// ERROR frames arrive here.
			if (this.client != null) {
				this.client.error.complete(headers.getFirst("message"));
			}
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return String.class;
		}

		@Override
		public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
				Throwable exception) {
			if (this.client != null) {
				this.client.error.completeExceptionally(exception);
			}
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			if (this.client != null) {
				this.client.closed.complete(null);
			}
		}
	}
}
