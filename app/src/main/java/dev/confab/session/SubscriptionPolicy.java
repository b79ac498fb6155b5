package dev.confab.session;

import java.security.Principal;
import java.util.Optional;

/**
 * Decides which broker destinations a client session may subscribe to, beyond its own
 * personal destination which the transport always allows. Called on the I/O thread: must not block.
 */
public interface SubscriptionPolicy {

	/** @return empty when allowed, otherwise the reason to refuse */
	Optional<String> refusal(String sessionId, Principal user, String destination);
}
