package dev.confab.call;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Controller;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.confab.session.SessionControl;

/** The SEND destinations of hands, reactions and the owner's controls; see docs/protocol.md, "Room control". */
@Controller
class RoomControlController {

	private static final String SESSION = SimpMessageHeaderAccessor.SESSION_ID_HEADER;

	private final RoomControl control;

	private final Gestures gestures;

	private final SessionControl sessions;

	private final RequestGate gate;

	RoomControlController(RoomControl control, Gestures gestures, SessionControl sessions, RequestGate gate) {
		this.gate = gate;
		this.control = control;
		this.gestures = gestures;
		this.sessions = sessions;
	}

	@MessageMapping("/hand")
	void hand(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.gestures.hand(sessionId, ControlRequests.flag(body, "raised")));
	}

	@MessageMapping("/reaction")
	void reaction(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.gestures.react(sessionId, ControlRequests.text(body, "emoji", 20)));
	}

	@MessageMapping("/owner/lock")
	void lock(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.lock(sessionId, ControlRequests.flag(body, "locked")));
	}

	@MessageMapping("/owner/waiting-room")
	void waitingRoom(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.waitingRoom(sessionId, ControlRequests.flag(body, "on")));
	}

	@MessageMapping("/owner/capacity")
	void capacity(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.capacity(sessionId, ControlRequests.number(body, "capacity")));
	}

	@MessageMapping("/owner/admit")
	void admit(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.admit(sessionId, ControlRequests.id(body, "knock")));
	}

	@MessageMapping("/owner/refuse")
	void refuse(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.refuse(sessionId, ControlRequests.id(body, "knock")));
	}

	@MessageMapping("/owner/remove")
	void remove(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.remove(sessionId, ControlRequests.id(body, "id")));
	}

	@MessageMapping("/owner/mute")
	void mute(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.askToMute(sessionId, ControlRequests.id(body, "id")));
	}

	@MessageMapping("/owner/lower-hand")
	void lowerHand(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.lowerHand(sessionId, ControlRequests.id(body, "id")));
	}

	@MessageMapping("/owner/hand-over")
	void handOver(@Payload JsonNode body, @Header(SESSION) String sessionId) {
		run(sessionId, this.control.handOver(sessionId, ControlRequests.id(body, "id")));
	}

	/** Bad payloads and refused commands end the session with an ERROR, as every protocol violation does. */
	@MessageExceptionHandler
	void refuse(Exception ex, @Header(SESSION) String sessionId) {
		this.sessions.refuse(sessionId, ProtocolViolation.reasonFor(ex));
	}

	private void run(String sessionId, Mono<Void> work) {
		this.gate.run(sessionId, work);
	}
}
