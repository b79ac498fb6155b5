package dev.confab.call;

import java.security.Principal;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.confab.session.SubscriptionPolicy;

/** Besides its own queue, a session may follow the lobby, and the room topic of the call it is in. */
@Component
class CallSubscriptionPolicy implements SubscriptionPolicy {

	private final LocalMembership membership;

	CallSubscriptionPolicy(LocalMembership membership) {
		this.membership = membership;
	}

	@Override
	public Optional<String> refusal(String sessionId, Principal user, String destination) {
		if (CallDestinations.LOBBY_TOPIC.equals(destination)) {
			return Optional.empty();
		}
		if (destination.startsWith(CallDestinations.ROOM_TOPIC_PREFIX)) {
			String room = destination.substring(CallDestinations.ROOM_TOPIC_PREFIX.length());
			return this.membership.roomOf(sessionId).filter(room::equals).isPresent()
					? Optional.empty()
					: Optional.of("Join the call of room " + room + " before subscribing to it.");
		}
		return Optional.of("No subscriptions to " + destination + ".");
	}
}
