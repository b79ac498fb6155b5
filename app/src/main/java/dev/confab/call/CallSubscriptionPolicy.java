package dev.confab.call;

import java.security.Principal;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.confab.session.SubscriptionPolicy;

/**
 * Besides its own queue, a session may follow the lobby and any room's roster topic: the room page
 * shows the roster before joining, and it shows nothing the page itself does not.
 */
@Component
class CallSubscriptionPolicy implements SubscriptionPolicy {

	@Override
	public Optional<String> refusal(String sessionId, Principal user, String destination) {
		if (CallDestinations.LOBBY_TOPIC.equals(destination)) {
			return Optional.empty();
		}
		if (destination.startsWith(CallDestinations.ROOM_TOPIC_PREFIX)) {
			String room = destination.substring(CallDestinations.ROOM_TOPIC_PREFIX.length());
			return RoomSlugs.isValid(room) ? Optional.empty() : Optional.of("Not a room: " + room + ".");
		}
		return Optional.of("No subscriptions to " + destination + ".");
	}
}
