package dev.confab.identity;

import java.net.InetSocketAddress;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.confab.limits.PerMinuteLimit;

/**
 * At most N login attempts per client address in any minute, on this instance: each attempt
 * reads the database, and a real name is the only thing guarding a screen name, so guessing
 * must be slow. Behind nginx the address is the forwarded one
 * ({@code server.forward-headers-strategy=native}).
 */
@Component
class LoginRateLimit {

	private final PerMinuteLimit attempts;

	LoginRateLimit(@Value("${confab.identity.logins-per-minute:20}") int perMinute) {
		this.attempts = new PerMinuteLimit(perMinute);
	}

	/** @return true when this attempt may go ahead */
	boolean tryAttempt(ServerHttpRequest request) {
		return this.attempts.tryAcquire(client(request));
	}

	private static String client(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
	}
}
