package dev.confab.call;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

import dev.confab.limits.InFlightLimit;
import dev.confab.session.SessionControl;

/**
 * Runs the call's requests (each waits on the database, but for a signal routed from memory) with
 * a bound on how many wait at once, per session and per instance. What does not fit is shed, not
 * queued: the session gets an ERROR asking it to reconnect in a while, and its call waits for its
 * resume. An overloaded instance so answers slower and turns some away, but its queues stay short,
 * and the heartbeat, on resources of its own, keeps it in the cluster.
 */
@Component
class RequestGate {

	static final String INSTANCE_BUSY = "Server busy; reconnect in a moment.";

	static final String SESSION_BUSY = "Too many requests at once; reconnect in a moment.";

	private final InFlightLimit inFlight;

	private final SessionControl sessions;

	RequestGate(CallProperties properties, SessionControl sessions) {
		this.inFlight = new InFlightLimit(properties.requestsInFlightPerSession(), properties.requestsInFlight());
		this.sessions = sessions;
	}

	/** Starts the request's work; a refusal or failure ends the session with the reason. */
	void run(String sessionId, Mono<Void> work) {
		runUncounted(sessionId, admit(sessionId, work));
	}

	/**
	 * {@link #run} for work that waits on nothing (a signal routed from memory): a full instance
	 * must not stop it. What of it does wait goes through {@link #admit} itself.
	 */
	void runUncounted(String sessionId, Mono<Void> work) {
		work.subscribe(null, ex -> {
			if (ex instanceof Busy busy) {
				this.sessions.shed(sessionId, busy.getMessage());
			}
			else {
				this.sessions.refuse(sessionId, ProtocolViolation.reasonFor(ex));
			}
		});
	}

	/** The work, counted in flight until it ends; {@link Busy} when it does not fit. */
	<T> Mono<T> admit(String sessionId, Mono<T> work) {
		return Mono.defer(() -> {
			InFlightLimit.Refusal refusal = this.inFlight.tryStart(sessionId);
			if (refusal != null) {
				return Mono.error(new Busy(refusal == InFlightLimit.Refusal.TOTAL ? INSTANCE_BUSY : SESSION_BUSY));
			}
			return work.doFinally(signal -> this.inFlight.finish(sessionId));
		});
	}

	/** Requests in flight on this instance now. */
	int inFlight() {
		return this.inFlight.inFlight();
	}

	/** A request shed for want of room. */
	static final class Busy extends RuntimeException {

		Busy(String message) {
			super(message, null, false, false);
		}
	}
}
