package dev.confab.call;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.stereotype.Component;

/** Sends call messages to one participant's personal destination, or to a room's topic. */
@Component
class ParticipantMessenger {

	private static final Log logger = LogFactory.getLog(ParticipantMessenger.class);

	private final SimpMessageSendingOperations messaging;

	ParticipantMessenger(SimpMessageSendingOperations messaging) {
		this.messaging = messaging;
	}

	void send(Participant to, Map<String, Object> body) {
		sendToSession(to.userName(), to.sessionId(), body);
	}

	/** To one session's personal queue, whether or not it is in a call. */
	void sendToSession(String userName, String sessionId, Map<String, Object> body) {
		this.messaging.convertAndSendToUser(userName, CallDestinations.PERSONAL_QUEUE, body, toSession(sessionId));
	}

	/** Like {@link #send}, for news that may be lost when the broker is away (it fails fast then). */
	void trySend(Participant to, Map<String, Object> body) {
		try {
			send(to, body);
		}
		catch (MessagingException ex) {
			logger.debug("Not delivered to " + to.id() + ": " + ex.getMessage());
		}
	}

	/** Like {@link #sendToSession}, best effort as {@link #trySend}. */
	void trySendToSession(String userName, String sessionId, Map<String, Object> body) {
		try {
			sendToSession(userName, sessionId, body);
		}
		catch (MessagingException ex) {
			logger.debug("Not delivered to a session: " + ex.getMessage());
		}
	}

	/** Best effort as {@link #trySend}: a roster is sent again with the next change. */
	void sendToRoom(String roomSlug, Map<String, Object> body) {
		try {
			this.messaging.convertAndSend(CallDestinations.roomTopic(roomSlug), (Object) body);
		}
		catch (MessagingException ex) {
			logger.debug("Not delivered to room " + roomSlug + ": " + ex.getMessage());
		}
	}

	/** The session id header makes the user destination resolve to that one session, not every tab of the user. */
	private static MessageHeaders toSession(String sessionId) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setSessionId(sessionId);
		headers.setLeaveMutable(true);
		return headers.getMessageHeaders();
	}
}
