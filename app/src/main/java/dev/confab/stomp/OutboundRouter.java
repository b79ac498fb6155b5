package dev.confab.stomp;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;

/** Hands each message on the client outbound channel to the session it is addressed to. */
class OutboundRouter implements MessageHandler {

	private static final Log logger = LogFactory.getLog(OutboundRouter.class);

	private final StompConnections connections;

	OutboundRouter(StompConnections connections) {
		this.connections = connections;
	}

	@Override
	public void handleMessage(Message<?> message) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		if (sessionId == null) {
			logger.warn("Outbound message without a session id dropped");
			return;
		}
		// A session that closed a moment ago still gets late frames: they go nowhere.
		this.connections.find(sessionId).ifPresent(connection -> connection.deliver(message));
	}
}
