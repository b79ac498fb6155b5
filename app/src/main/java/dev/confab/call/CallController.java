package dev.confab.call;

import java.security.Principal;

import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Controller;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.confab.identity.ConfabUser;
import dev.confab.session.SessionControl;

/** The client's SEND destinations of a call; see docs/protocol.md. */
@Controller
class CallController {

	private static final String SESSION = SimpMessageHeaderAccessor.SESSION_ID_HEADER;

	private final CallService calls;

	private final JoinRateLimit joinRate;

	private final Resumption resumption;

	private final AwayTracker away;

	private final SessionControl sessions;

	private final CallMetrics metrics;

	private final RequestGate gate;

	CallController(CallService calls, Resumption resumption, AwayTracker away, JoinRateLimit joinRate,
			SessionControl sessions, CallMetrics metrics, RequestGate gate) {
		this.gate = gate;
		this.metrics = metrics;
		this.calls = calls;
		this.resumption = resumption;
		this.away = away;
		this.joinRate = joinRate;
		this.sessions = sessions;
	}

	@MessageMapping("/room/{slug}/join")
	void join(@DestinationVariable String slug, Principal principal, @Header(SESSION) String sessionId) {
		// Deferred, so that a join refused by the checks counts as refused; run() refuses the session as before.
		Mono<Participant> join = Mono.defer(() -> {
			ConfabUser user = user(principal);
			checkRoom(slug);
			checkJoinRate(sessionId);
			return this.calls.join(sessionId, user.getName(), user.screenName(), slug);
		});
		run(sessionId, this.metrics.join(join).flatMap(this.away::ifSessionGone));
	}

	/** Continues a participant whose session was lost; see docs/protocol.md, "Resume". */
	@MessageMapping("/resume")
	void resume(@Payload JsonNode body, Principal principal, @Header(SESSION) String sessionId) {
		Mono<Void> resume = Mono.defer(() -> {
			ConfabUser user = user(principal);
			ResumeRequest request = ResumeRequest.from(body);
			checkJoinRate(sessionId);
			return this.resumption.resume(sessionId, user.getName(), request);
		});
		run(sessionId, this.metrics.resume(resume));
	}

	/** The page is going away (pagehide): a reload resumes within the unload grace. */
	@MessageMapping("/unload")
	void unload(@Header(SESSION) String sessionId) {
		run(sessionId, this.away.unloading(sessionId));
	}

	@MessageMapping("/room/{slug}/roster")
	void roster(@DestinationVariable String slug, Principal principal, @Header(SESSION) String sessionId) {
		checkRoom(slug);
		run(sessionId, this.calls.sendRoster(user(principal).getName(), sessionId, slug));
	}

	@MessageMapping("/room/{slug}/leave")
	void leave(@DestinationVariable String slug, @Header(SESSION) String sessionId) {
		run(sessionId, this.calls.leave(sessionId, slug));
	}

	@MessageMapping("/signal")
	void signal(@Payload SignalRequest signal, @Header(SESSION) String sessionId) {
		this.gate.runUncounted(sessionId, this.metrics.signal(this.calls.signal(sessionId, signal)));
	}

	@MessageMapping("/ice")
	void ice(@Header(SESSION) String sessionId) {
		run(sessionId, this.calls.refreshIce(sessionId));
	}

	/** Errors thrown before the work starts: bad payloads and refused requests end the session with an ERROR. */
	@MessageExceptionHandler
	void refuse(Exception ex, @Header(SESSION) String sessionId) {
		this.sessions.refuse(sessionId, ProtocolViolation.reasonFor(ex));
	}

	private static ConfabUser user(Principal principal) {
		if (!(principal instanceof ConfabUser user)) {
			throw new ProtocolViolation("Log in first.");
		}
		return user;
	}

	private static void checkRoom(String slug) {
		if (!RoomSlugs.isValid(slug)) {
			throw new ProtocolViolation("Not a room name.");
		}
	}

	/** Joins and resumes are the costly operations (database, fan-out, renegotiation). */
	private void checkJoinRate(String sessionId) {
		if (!this.joinRate.tryJoin(sessionId)) {
			throw new ProtocolViolation("Too many joins: wait a minute.");
		}
	}

	private void run(String sessionId, Mono<Void> work) {
		this.gate.run(sessionId, work);
	}
}
