package dev.confab.stomp;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Answers STOMP receipts once the frame that asked for one has been handled. The simple broker
 * sends no receipts at all, and the handlers of one frame run in parallel, so the receipt rides
 * on a marker message that the session's ordered channel releases only after that frame. Every
 * other handler on the inbound channel ignores the marker: it is a SEND to a destination outside
 * every prefix. (A frame without a command would reach the broker relay, which would try to
 * encode it for RabbitMQ, fail, and drop the session's broker connection.)
 */
class ReceiptResponder implements MessageHandler {

	private static final String RECEIPT_HEADER = "confabReceipt";

	private static final byte[] EMPTY = new byte[0];

	/** Neither /app, /topic, /queue nor /user: no handler but this one takes it. */
	static final String MARKER_DESTINATION = "/confab-receipt";

	private final StompConnections connections;

	ReceiptResponder(StompConnections connections) {
		this.connections = connections;
	}

	static Message<byte[]> marker(String receiptId) {
		StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.SEND);
		headers.setDestination(MARKER_DESTINATION);
		headers.setHeader(RECEIPT_HEADER, receiptId);
		headers.setLeaveMutable(true);
		return MessageBuilder.createMessage(EMPTY, headers.getMessageHeaders());
	}

	@Override
	public void handleMessage(Message<?> message) {
		if (!MARKER_DESTINATION.equals(SimpMessageHeaderAccessor.getDestination(message.getHeaders()))) {
			return;
		}
		String receipt = (String) message.getHeaders().get(RECEIPT_HEADER);
		@Nullable String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		if (receipt != null && sessionId != null) {
			this.connections.find(sessionId).ifPresent(connection -> connection.receipted(receipt));
		}
	}
}
