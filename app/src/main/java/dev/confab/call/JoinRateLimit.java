package dev.confab.call;

import org.springframework.stereotype.Component;

import dev.confab.limits.PerMinuteLimit;

/** At most N joins and resumes per session in any minute: they are the costly operations (database, fan-out, renegotiation). */
@Component
class JoinRateLimit {

	private final PerMinuteLimit joins;

	JoinRateLimit(CallProperties properties) {
		this.joins = new PerMinuteLimit(properties.joinsPerMinute());
	}

	/** @return true when the session may join now */
	boolean tryJoin(String sessionId) {
		return this.joins.tryAcquire(sessionId);
	}

	void forget(String sessionId) {
		this.joins.forget(sessionId);
	}
}
