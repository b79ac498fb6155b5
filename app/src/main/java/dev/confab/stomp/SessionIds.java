package dev.confab.stomp;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Globally unique STOMP session ids. WebFlux's own WebSocket session ids are identity hash codes,
 * not unique across instances, while session ids end up in broker destinations shared by all instances.
 */
final class SessionIds {

	private static final SecureRandom RANDOM = new SecureRandom();

	private SessionIds() {
	}

	/** 128 random bits, URL-safe base64: 22 characters of [A-Za-z0-9_-], safe in destinations and routing keys. */
	static String next() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
