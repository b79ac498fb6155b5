package dev.confab.call;

import org.springframework.stereotype.Component;

import dev.confab.session.NonBlockingDestinations;

/**
 * A signal is routed from memory ({@link CallRoutes}) and sent at once: the most frequent frame of a
 * call, handled where it arrives. Only a recipient the routes lack is looked up in the database, and
 * that look-up is reactive. Everything else (joins, chat, room control) touches the database first.
 */
@Component
class CallNonBlockingDestinations implements NonBlockingDestinations {

	static final String SIGNAL = "/app/signal";

	@Override
	public boolean neverBlocks(String destination) {
		return SIGNAL.equals(destination);
	}
}
