package dev.confab.stomp;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Turns what the broker side puts on the client outbound channel into STOMP frames for the socket.
 * The simple broker speaks protocol-neutral {@link SimpMessageType}s; the broker relay already speaks STOMP.
 */
final class ServerFrames {

	private static final Set<String> SUPPORTED_VERSIONS = Set.of("1.2", "1.1", "1.0");

	private static final byte[] HEARTBEAT = {'\n'};

	/** Marks the RECEIPT of a DISCONNECT: the session ends once it is written. */
	private static final String LAST = "confabLastFrame";

	private final StompEncoder encoder = new StompEncoder();

	/**
	 * What to write for an outbound message (nothing when null), whether the session ends after it,
	 * and its command (null for a heart-beat or nothing).
	 */
	record Frame(byte @Nullable [] bytes, boolean last, @Nullable StompCommand command) {
	}

	private static final Frame END_QUIETLY = new Frame(null, true, null);

	Frame encode(Message<?> message) {
		byte[] payload = (message.getPayload() instanceof byte[] bytes) ? bytes : new byte[0];
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
		if (type == SimpMessageType.HEARTBEAT) {
			return new Frame(HEARTBEAT, false, null);
		}
		if (type == SimpMessageType.DISCONNECT_ACK && isQuietDisconnect(message)) {
			return END_QUIETLY;
		}
		StompHeaderAccessor accessor = toStomp(message, type);
		StompCommand command = accessor.getCommand();
		boolean last = command == StompCommand.ERROR || command == StompCommand.RECEIPT && accessor.getHeader(LAST) != null;
		accessor.removeHeader(LAST);
		return new Frame(this.encoder.encode(accessor.getMessageHeaders(), payload), last, command);
	}

	/** An ERROR frame whose message header says why; the session always ends after it. */
	byte[] error(String reason) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(reason);
		accessor.setContentType(org.springframework.util.MimeTypeUtils.TEXT_PLAIN);
		return this.encoder.encode(accessor.getMessageHeaders(), reason.getBytes(StandardCharsets.UTF_8));
	}

	/** A RECEIPT for a frame the transport accepted. */
	byte[] receipt(String receiptId) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.RECEIPT);
		accessor.setReceiptId(receiptId);
		return this.encoder.encode(accessor.getMessageHeaders(), new byte[0]);
	}

	private StompHeaderAccessor toStomp(Message<?> message, @Nullable SimpMessageType type) {
		MessageHeaderAccessor existing = MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class);
		StompHeaderAccessor accessor = (existing instanceof StompHeaderAccessor stomp && stomp.isMutable())
				? stomp : StompHeaderAccessor.wrap(message);
		if (type == SimpMessageType.CONNECT_ACK) {
			return connected(accessor);
		}
		if (type == SimpMessageType.DISCONNECT_ACK) {
			return disconnected(accessor);
		}
		if (accessor.getCommand() == null || accessor.getCommand() == StompCommand.SEND) {
			accessor.updateStompCommandAsServerMessage();
		}
		if (accessor.getCommand() == StompCommand.MESSAGE) {
			restoreUserDestination(accessor);
		}
		if (accessor.getCommand() == StompCommand.CONNECTED) {
			// The relay passes RabbitMQ's own CONNECTED on; its product and version are nobody's business.
			accessor.removeNativeHeader("server");
		}
		return accessor;
	}

	private static StompHeaderAccessor connected(StompHeaderAccessor connectAck) {
		StompHeaderAccessor connected = StompHeaderAccessor.create(StompCommand.CONNECTED);
		Message<?> connect = (Message<?>) connectAck.getHeader(SimpMessageHeaderAccessor.CONNECT_MESSAGE_HEADER);
		StompHeaderAccessor connectHeaders = connect == null ? null
				: MessageHeaderAccessor.getAccessor(connect, StompHeaderAccessor.class);
		String version = "1.2";
		if (connectHeaders != null) {
			version = connectHeaders.getAcceptVersion().stream()
					.filter(SUPPORTED_VERSIONS::contains).max(String::compareTo).orElse("1.2");
		}
		connected.setVersion(version);
		long[] heartbeat = (long[]) connectAck.getHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER);
		connected.setHeartbeat(heartbeat == null ? 0 : heartbeat[0], heartbeat == null ? 0 : heartbeat[1]);
		return connected;
	}

	/** A client's DISCONNECT without a receipt request needs no answer: the socket just closes. */
	private static boolean isQuietDisconnect(Message<?> disconnectAck) {
		Message<?> disconnect = (Message<?>) disconnectAck.getHeaders().get(SimpMessageHeaderAccessor.DISCONNECT_MESSAGE_HEADER);
		StompHeaderAccessor request = disconnect == null ? null
				: MessageHeaderAccessor.getAccessor(disconnect, StompHeaderAccessor.class);
		return request != null && request.getReceipt() == null;
	}

	/** A DISCONNECT the client asked for gets its RECEIPT; one the broker decided (missed heart-beats) gets an ERROR. */
	private static StompHeaderAccessor disconnected(StompHeaderAccessor disconnectAck) {
		Message<?> disconnect = (Message<?>) disconnectAck.getHeader(SimpMessageHeaderAccessor.DISCONNECT_MESSAGE_HEADER);
		StompHeaderAccessor request = disconnect == null ? null
				: MessageHeaderAccessor.getAccessor(disconnect, StompHeaderAccessor.class);
		if (request != null && request.getReceipt() != null) {
			StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
			receipt.setReceiptId(request.getReceipt());
			receipt.setHeader(LAST, Boolean.TRUE);
			return receipt;
		}
		StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
		error.setMessage("Session closed: no heart-beat from the client.");
		return error;
	}

	/** Clients subscribed to /user/queue/events and should see that, not the per-session broker destination. */
	private static void restoreUserDestination(StompHeaderAccessor accessor) {
		String original = accessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
		if (original != null) {
			accessor.removeNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
			accessor.setDestination(original);
		}
	}
}
