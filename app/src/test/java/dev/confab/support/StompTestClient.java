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
import org.springframework.web.socket.WebSocketHttpHeaders;
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

	private StompTestClient(StompSession session) {
		this.session = session;
	}

	/** Connects with the identity cookie and the page's own Origin, then subscribes to the personal queue. */
	public static StompTestClient connect(int port, String cookie) throws Exception {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(256 * 1024);
		WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient(container));
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
		StompTestClient stomp = new StompTestClient(session);
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

	public void awaitClosed() throws Exception {
		this.closed.get(10, TimeUnit.SECONDS);
	}

	public boolean isConnected() {
		return this.session.isConnected();
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
