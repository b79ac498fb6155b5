package dev.confab.stomp;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.BufferingStompDecoder;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

import reactor.core.publisher.Flux;

/**
 * One client's STOMP session over one WebSocket: decodes and checks what the client sends,
 * hands it to the inbound channel in order, and queues what the broker side sends back.
 * {@link #receive} runs on the socket's I/O thread; {@link #deliver} on broker threads.
 */
final class StompConnection {

	private static final Log logger = LogFactory.getLog(StompConnection.class);

	private static final byte[] EMPTY = new byte[0];

	/** The session's identity (its cookie) has expired: the login it was opened under is over. */
	static final String LOGIN_EXPIRED = "Logged out: your login expired.";

	/** Lets the registry learn about CONNECT and the end of the session. */
	interface Lifecycle {

		/** @return empty when the session may connect, otherwise the reason to refuse */
		Optional<String> connecting(StompConnection connection);

		void ended(StompConnection connection, boolean wasConnected);

		/** Where the session counts its frames, ERRORs and slow-client closes. */
		StompMetrics metrics();
	}

	private final String id = SessionIds.next();

	private final Principal user;

	/** When the identity the handshake proved ends; no frame is served from then on. */
	private final Instant identityExpiresAt;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	/** Subscription id to destination, for the user registry and to tell a known UNSUBSCRIBE from an unknown one. */
	private final Map<String, String> subscriptions = new ConcurrentHashMap<>();

	private final MessageChannel inbound;

	private final InboundRules rules;

	private final ServerFrames frames;

	private final Lifecycle lifecycle;

	private final OutboundBuffer outbound;

	private final BufferingStompDecoder decoder;

	private final TokenBucket rate;

	private final int maxFrameBytes;

	private final StompMetrics metrics;

	private final long openedNanos = System.nanoTime();

	/** Closes the socket at once, without waiting for queued frames. */
	private volatile Runnable closeSocket = () -> { };

	private volatile boolean connected;

	private volatile boolean disconnectForwarded;

	/** The client (DISCONNECT) or the server (a refusal) chose to end the session, and its call with it. */
	private volatile boolean endsCall;

	private final AtomicBoolean ending = new AtomicBoolean();

	private final AtomicBoolean ended = new AtomicBoolean();

	/** Relay mode: RabbitMQ answers SUBSCRIBE/UNSUBSCRIBE receipts (see {@link #takeReceipt}). */
	private final boolean brokerConfirmsSubscriptions;

	StompConnection(Principal user, Instant identityExpiresAt, MessageChannel orderedInbound, InboundRules rules,
			ServerFrames frames, Lifecycle lifecycle, StompProperties limits, boolean brokerConfirmsSubscriptions) {
		this.brokerConfirmsSubscriptions = brokerConfirmsSubscriptions;
		this.user = user;
		this.identityExpiresAt = identityExpiresAt;
		this.inbound = orderedInbound;
		this.rules = rules;
		this.frames = frames;
		this.lifecycle = lifecycle;
		this.metrics = lifecycle.metrics();
		this.outbound = new OutboundBuffer(limits.sendBufferBytes());
		this.maxFrameBytes = limits.maxFrameBytes();
		this.decoder = new BufferingStompDecoder(new StompDecoder(), limits.maxFrameBytes());
		this.rate = new TokenBucket(limits.frameBurst(), limits.framesPerSecond(), this.openedNanos);
	}

	void onAbort(Runnable closeSocket) {
		this.closeSocket = closeSocket;
	}

	String id() {
		return this.id;
	}

	Principal user() {
		return this.user;
	}

	boolean isConnected() {
		return this.connected && !this.ending.get();
	}

	/** False when the session just went away: its participant may resume on another one. */
	boolean endsCall() {
		return this.endsCall;
	}

	Map<String, String> subscriptions() {
		return Map.copyOf(this.subscriptions);
	}

	/** The encoded frames for the socket; completes when the session is to be closed. */
	Flux<byte[]> outboundFrames() {
		return this.outbound.frames();
	}

	/** One WebSocket message from the client: at most one frame's worth of bytes. */
	void receive(byte[] bytes) {
		if (this.ending.get()) {
			return;
		}
		if (bytes.length > this.maxFrameBytes) {
			refuse(ErrorReason.FRAME, "Frame larger than " + this.maxFrameBytes + " bytes.");
			return;
		}
		List<Message<byte[]>> messages;
		try {
			messages = this.decoder.decode(ByteBuffer.wrap(bytes));
		}
		catch (RuntimeException ex) {
			refuse(ErrorReason.FRAME, "Malformed STOMP frame: " + ex.getMessage());
			return;
		}
		for (Message<byte[]> message : messages) {
			if (!accept(message)) {
				return;
			}
		}
	}

	private boolean accept(Message<byte[]> message) {
		StompHeaderAccessor frame = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (frame == null) {
			refuse(ErrorReason.FRAME, "Malformed STOMP frame.");
			return false;
		}
		this.metrics.received(frame.isHeartbeat() ? null : frame.getCommand());
		// Before the sweep notices: nothing (a join's connect, an /app/ice) is served past the expiry.
		if (identityExpired(Instant.now())) {
			refuse(ErrorReason.LOGIN_EXPIRED, LOGIN_EXPIRED);
			return false;
		}
		if (frame.isHeartbeat()) {
			// Heart-beats before CONNECT mean nothing; after it they keep the broker's read timer alive.
			if (this.connected) {
				enrichAndSend(frame, message);
			}
			return true;
		}
		if (!this.rate.tryTake(System.nanoTime())) {
			refuse(ErrorReason.RATE, "Too many frames: at most the configured rate per second.");
			return false;
		}
		Optional<String> refusal = this.rules.refusal(frame, this.connected, this.id, this.user, this.subscriptions);
		if (refusal.isPresent()) {
			refuse(ErrorReason.PROTOCOL, refusal.get());
			return false;
		}
		refusal = this.connected ? Optional.empty() : this.lifecycle.connecting(this);
		if (refusal.isPresent()) {
			refuse(ErrorReason.CONNECT, refusal.get());
			return false;
		}
		InboundRules.dropForeignHeaders(frame);
		if (frame.getCommand() == StompCommand.UNSUBSCRIBE && !this.subscriptions.containsKey(frame.getSubscriptionId())) {
			// Nothing to drop. RabbitMQ would answer an unknown id with an ERROR and end the session.
			String receipt = frame.getReceipt();
			if (receipt != null) {
				enrichAndSend(ReceiptResponder.marker(receipt));
			}
			return true;
		}
		track(frame);
		String receipt = takeReceipt(frame);
		enrichAndSend(frame, message);
		if (receipt != null) {
			enrichAndSend(ReceiptResponder.marker(receipt));
		}
		return true;
	}

	/**
	 * Receipts for frames the application handles are the transport's: a marker follows the frame
	 * through this session's ordered channel, so the RECEIPT goes out once the frame has been
	 * handled (the simple broker sends none). Left to the broker: DISCONNECT's (sent once the
	 * session is gone), and with the relay SUBSCRIBE's and UNSUBSCRIBE's. RabbitMQ binds a
	 * subscription's queue a moment after the frame left here, and the server publishes on
	 * another connection, so only RabbitMQ's own RECEIPT means "messages to it arrive now".
	 * @return the receipt to answer, or null
	 */
	private @Nullable String takeReceipt(StompHeaderAccessor frame) {
		String receipt = frame.getReceipt();
		StompCommand command = frame.getCommand();
		if (receipt == null || command == StompCommand.DISCONNECT || this.brokerConfirmsSubscriptions
				&& (command == StompCommand.SUBSCRIBE || command == StompCommand.UNSUBSCRIBE)) {
			return null;
		}
		frame.removeNativeHeader(StompHeaderAccessor.STOMP_RECEIPT_HEADER);
		return receipt;
	}

	private void track(StompHeaderAccessor frame) {
		StompCommand command = frame.getCommand();
		if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
			this.connected = true;
		}
		else if (command == StompCommand.SUBSCRIBE) {
			this.subscriptions.put(frame.getSubscriptionId(), frame.getDestination());
		}
		else if (command == StompCommand.UNSUBSCRIBE) {
			this.subscriptions.remove(frame.getSubscriptionId());
		}
		else if (command == StompCommand.DISCONNECT) {
			this.endsCall = true;
			this.disconnectForwarded = true;
		}
	}

	private void enrichAndSend(StompHeaderAccessor frame, Message<byte[]> message) {
		frame.setSessionId(this.id);
		frame.setSessionAttributes(this.attributes);
		frame.setUser(this.user);
		if (frame.getCommand() == StompCommand.CONNECT || frame.getCommand() == StompCommand.STOMP) {
			frame.setHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER, frame.getHeartbeat());
		}
		this.inbound.send(message);
	}

	private void enrichAndSend(Message<byte[]> message) {
		StompHeaderAccessor frame = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		enrichAndSend(frame, message);
	}

	/** A RECEIPT for a frame that has been handled. */
	void receipted(String receiptId) {
		if (!this.ending.get()) {
			queue(StompCommand.RECEIPT, this.frames.receipt(receiptId));
		}
	}

	/** A frame from the broker side for this client. */
	void deliver(Message<?> message) {
		if (this.ended.get()) {
			return;
		}
		ServerFrames.Frame frame = this.frames.encode(message);
		if (frame.command() == StompCommand.ERROR) {
			this.metrics.error(ErrorReason.BROKER);
		}
		if (frame.bytes() != null) {
			OutboundBuffer.Offer offered = queue(frame.command(), frame.bytes());
			if (offered == OutboundBuffer.Offer.FULL) {
				closeSlowClient(this.metrics::closedForFullBuffer, "the client does not read fast enough");
				return;
			}
			if (offered == OutboundBuffer.Offer.CLOSED) {
				end();
				return;
			}
		}
		if (frame.last()) {
			end();
		}
	}

	/**
	 * Answers with an ERROR frame, then closes: STOMP has no recoverable errors. The session's call ends.
	 * @param why where the refusal was decided (the errors meter's tag)
	 * @param reason the ERROR frame's message
	 */
	void refuse(ErrorReason why, String reason) {
		if (!this.ending.get()) {
			this.endsCall = true;
		}
		sendErrorAndEnd(why, reason);
	}

	/** Like {@link #refuse}, for reasons that are not the client's doing: its call waits for a resume. */
	void refuseResumable(ErrorReason why, String reason) {
		sendErrorAndEnd(why, reason);
	}

	private void sendErrorAndEnd(ErrorReason why, String reason) {
		if (this.ending.get()) {
			return;
		}
		logger.debug("Refusing STOMP session " + this.id + ": " + reason);
		this.metrics.error(why);
		queue(StompCommand.ERROR, this.frames.error(reason));
		end();
	}

	/** Queues an encoded frame for the socket, counted as sent once queued; {@code null}: a heart-beat. */
	private OutboundBuffer.Offer queue(@Nullable StompCommand command, byte[] bytes) {
		OutboundBuffer.Offer offered = this.outbound.offer(bytes);
		if (offered == OutboundBuffer.Offer.QUEUED) {
			this.metrics.sent(command);
		}
		return offered;
	}

	/**
	 * Ends the session: the socket closes once the queued frames are written.
	 * @return whether this call ended it (false: it was ending already)
	 */
	boolean end() {
		if (this.ending.compareAndSet(false, true)) {
			this.outbound.complete();
			return true;
		}
		return false;
	}

	/** Counted once per session, however many more frames find its buffer full before the socket is gone. */
	private void closeSlowClient(Runnable count, String why) {
		if (end()) {
			count.run();
		}
		abort(why);
	}

	/** Closes the socket without waiting: for clients that stopped reading or never connected. */
	void abort(String why) {
		logger.info("Closing STOMP session " + this.id + ": " + why);
		end();
		this.closeSocket.run();
	}

	/** Enforces the send time limit and the time allowed before CONNECT. */
	void checkTimeouts(long sendTimeoutNanos, long connectTimeoutNanos, long nowNanos) {
		if (this.outbound.stalledLongerThan(sendTimeoutNanos, nowNanos)) {
			closeSlowClient(this.metrics::closedForSendTimeout, "queued frames waited longer than the send time limit");
		}
		else if (!this.connected && !this.ending.get() && nowNanos - this.openedNanos > connectTimeoutNanos) {
			refuse(ErrorReason.CONNECT_TIMEOUT, "No CONNECT frame in time.");
		}
	}

	/**
	 * Ends the session once its identity has expired; its call ends too, as on logout.
	 * @return whether the identity still holds
	 */
	boolean checkIdentity(Instant now) {
		if (identityExpired(now)) {
			refuse(ErrorReason.LOGIN_EXPIRED, LOGIN_EXPIRED);
			return false;
		}
		return true;
	}

	/** As the cookie counts: valid before its expiry second, expired from it on. */
	private boolean identityExpired(Instant now) {
		return !now.isBefore(this.identityExpiresAt);
	}

	/** The socket is gone: tell the broker (once) and everyone who tracks sessions. */
	void closed() {
		end();
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		if (this.connected && !this.disconnectForwarded) {
			StompHeaderAccessor frame = StompHeaderAccessor.create(StompCommand.DISCONNECT);
			frame.setLeaveMutable(true);
			this.disconnectForwarded = true;
			enrichAndSend(frame, MessageBuilder.createMessage(EMPTY, frame.getMessageHeaders()));
		}
		this.lifecycle.ended(this, this.connected);
	}
}
