package dev.confab.chat;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Controller;

import tools.jackson.databind.JsonNode;

import dev.confab.call.CallMembers;
import dev.confab.call.Participant;
import dev.confab.session.SessionControl;

/** The client's SEND destination of the chat, {@code /app/chat}; see docs/protocol.md, "Chat". */
@Controller
class ChatController {

	static final String NOT_IN_A_CALL = "Join a call before sending chat messages.";

	private static final Log logger = LogFactory.getLog(ChatController.class);

	private static final String SESSION = SimpMessageHeaderAccessor.SESSION_ID_HEADER;

	private final ChatService chat;

	private final CallMembers members;

	private final ChatProperties properties;

	private final SessionControl sessions;

	ChatController(ChatService chat, CallMembers members, ChatProperties properties, SessionControl sessions) {
		this.chat = chat;
		this.members = members;
		this.properties = properties;
		this.sessions = sessions;
	}

	/** A message to everyone in the sender's call. */
	@MessageMapping("/chat")
	void chat(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		Participant sender = this.members.participantOf(sessionId).orElseThrow(() -> new ChatRefused(NOT_IN_A_CALL));
		ChatRequest request = ChatRequest.from(body, this.properties.maxLength());
		this.chat.post(sender, request);
	}

	/** Errors thrown before the work starts: bad payloads and refused requests end the session with an ERROR. */
	@MessageExceptionHandler
	void refuse(Exception ex, @Header(SESSION) String sessionId) {
		this.sessions.refuse(sessionId, reasonFor(ex));
	}

	private static String reasonFor(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ChatRefused refused) {
				return refused.getMessage();
			}
			if (cause instanceof MessageConversionException) {
				return ChatRequest.MALFORMED;
			}
		}
		logger.warn("Chat request failed", ex);
		return "The request could not be handled.";
	}
}
