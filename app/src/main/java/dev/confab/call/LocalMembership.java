package dev.confab.call;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Which room's call each session on this instance is in, kept in memory so that subscription
 * checks on the I/O thread never wait for the database. Only this instance's sessions subscribe
 * here, so local knowledge is complete.
 */
@Component
class LocalMembership {

	private final Map<String, Participant> bySession = new ConcurrentHashMap<>();

	void joined(Participant participant) {
		this.bySession.put(participant.sessionId(), participant);
	}

	void left(String sessionId) {
		this.bySession.remove(sessionId);
	}

	Optional<Participant> participant(String sessionId) {
		return Optional.ofNullable(this.bySession.get(sessionId));
	}

	/** Participants whose session is on this instance (one away from it is not). */
	int participants() {
		return this.bySession.size();
	}

	/** Rooms with at least one of them; a room whose call spans instances counts on each. */
	long rooms() {
		return this.bySession.values().stream().map(Participant::roomSlug).distinct().count();
	}
}
