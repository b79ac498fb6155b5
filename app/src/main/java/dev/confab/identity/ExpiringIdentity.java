package dev.confab.identity;

import java.time.Instant;

/**
 * An identity that ends at a known instant: the principal of a request authenticated by the
 * identity cookie. The WebSocket transport reads it at the handshake, so that a session ends
 * when the login it was opened under does, and is never served past that instant.
 */
public interface ExpiringIdentity {

	/** The first instant at which the identity no longer counts. */
	Instant expiresAt();
}
