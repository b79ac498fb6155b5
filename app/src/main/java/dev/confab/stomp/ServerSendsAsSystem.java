package dev.confab.stomp;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Server-side sends to one participant carry that participant's session id, which is how the
 * user destination finds its topic. Once resolved, the id must go: the relay would
 * otherwise publish through that session's own broker connection, which exists only on the
 * instance holding the session (elsewhere the message is dropped) and fails once the session
 * closes. Without it the relay publishes on its shared system connection; the simple broker
 * routes by destination either way. Clients never publish to the broker (InboundRules), so
 * every MESSAGE here is the server's.
 */
class ServerSendsAsSystem implements ChannelInterceptor {

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		MessageHeaders original = message.getHeaders();
		String destination = SimpMessageHeaderAccessor.getDestination(original);
		// A /user/ destination passes through the broker channel once unresolved: it still needs the id.
		if (SimpMessageHeaderAccessor.getMessageType(original) != SimpMessageType.MESSAGE
				|| SimpMessageHeaderAccessor.getSessionId(original) == null
				|| destination == null || destination.startsWith(SessionUserDestinationResolver.PREFIX)) {
			return message;
		}
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(message);
		headers.setSessionId(null);
		headers.setLeaveMutable(true);
		return MessageBuilder.createMessage(message.getPayload(), headers.getMessageHeaders());
	}
}
