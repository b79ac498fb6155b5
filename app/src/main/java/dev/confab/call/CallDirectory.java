package dev.confab.call;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Read-only view of the calls for pages: who is in a room's call. */
@Component
public class CallDirectory {

	private final PresenceRepository presence;

	CallDirectory(PresenceRepository presence) {
		this.presence = presence;
	}

	/** The version is read first: a change in between makes the page's roster older than it is, never newer. */
	public Mono<Roster> roster(String roomSlug) {
		return this.presence.version(roomSlug).defaultIfEmpty(0L).flatMap(version -> this.presence.inRoom(roomSlug)
				.collectList().map(participants -> CallFragments.rosterOf(participants, version)));
	}
}
