package dev.confab.call;

import java.security.Principal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Controller;

import reactor.core.publisher.Mono;

import dev.confab.identity.ConfabUser;
import dev.confab.session.SessionControl;

/** The client's SEND destinations of a call; see docs/protocol.md. */
@Controller
class CallController {

	private static final Log logger = LogFactory.getLog(CallController.class);

	private static final String SESSION = SimpMessageHeaderAccessor.SESSION_ID_HEADER;

	private final CallService calls;

	private final JoinRateLimit joinRate;

	private final SessionControl sessions;

	CallController(CallService calls, JoinRateLimit joinRate, SessionControl sessions) {
		this.calls = calls;
		this.joinRate = joinRate;
		this.sessions = sessions;
	}

	@MessageMapping("/room/{slug}/join")
	void join(@DestinationVariable String slug, Principal principal, @Header(SESSION) String sessionId) {
		if (!(principal instanceof ConfabUser user)) {
			throw new ProtocolViolation("Log in first.");
		}
		if (!RoomSlugs.isValid(slug)) {
			throw new ProtocolViolation("Not a room name.");
		}
		if (!this.joinRate.tryJoin(sessionId)) {
			throw new ProtocolViolation("Too many joins: wait a minute.");
		}
		run(sessionId, this.calls.join(sessionId, user.getName(), user.screenName(), slug).then());
	}

	@MessageMapping("/room/{slug}/leave")
	void leave(@DestinationVariable String slug, @Header(SESSION) String sessionId) {
		run(sessionId, this.calls.leave(sessionId, slug));
	}

	@MessageMapping("/signal")
	void signal(@Payload SignalRequest signal, @Header(SESSION) String sessionId) {
		run(sessionId, this.calls.signal(sessionId, signal));
	}

	@MessageMapping("/ice")
	void ice(@Header(SESSION) String sessionId) {
		run(sessionId, this.calls.refreshIce(sessionId));
	}

	/** Errors thrown before the work starts: bad payloads and refused requests end the session with an ERROR. */
	@MessageExceptionHandler
	void refuse(Exception ex, @Header(SESSION) String sessionId) {
		this.sessions.refuse(sessionId, reasonFor(ex));
	}

	private void run(String sessionId, Mono<Void> work) {
		work.subscribe(null, ex -> this.sessions.refuse(sessionId, reasonFor(ex)));
	}

	private static String reasonFor(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ProtocolViolation violation) {
				return violation.getMessage();
			}
		}
		logger.warn("Call request failed", ex);
		return "The request could not be handled.";
	}
}
