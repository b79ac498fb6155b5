package dev.confab.call;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.confab.limits.PerMinuteLimit;

/** At most N joins per session in any minute: joining is the costly operation (database, fan-out, renegotiation). */
@Component
class JoinRateLimit {

	private final PerMinuteLimit joins;

	JoinRateLimit(@Value("${confab.call.joins-per-minute:10}") int perMinute) {
		this.joins = new PerMinuteLimit(perMinute);
	}

	/** @return true when the session may join now */
	boolean tryJoin(String sessionId) {
		return this.joins.tryAcquire(sessionId);
	}

	void forget(String sessionId) {
		this.joins.forget(sessionId);
	}
}
