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

	/** The room page's roster; an empty one (version 0) for a room that is gone. */
	public Mono<Roster> roster(String roomSlug) {
		return current(roomSlug).defaultIfEmpty(new Roster(0, List.of()));
	}

	/**
	 * The roster as it is now, empty for a room that does not exist. The version is read first: a
	 * change in between makes the roster older than it is, never newer.
	 */
	Mono<Roster> current(String roomSlug) {
		return this.presence.version(roomSlug).flatMap(version -> this.presence.inRoom(roomSlug)
				.collectList().map(participants -> CallFragments.rosterOf(participants, version)));
	}
}
