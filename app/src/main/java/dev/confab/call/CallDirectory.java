package dev.confab.call;

import java.util.List;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Read-only view of the calls for pages: who is in a room's call. */
@Component
public class CallDirectory {

	private final PresenceRepository presence;

	CallDirectory(PresenceRepository presence) {
		this.presence = presence;
	}

	public Mono<List<RosterEntry>> roster(String roomSlug) {
		return this.presence.inRoom(roomSlug).collectList().map(CallFragments::rosterOf);
	}
}
