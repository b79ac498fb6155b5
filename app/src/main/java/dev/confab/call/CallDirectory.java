package dev.confab.call;

import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

/** Read-only view of the calls for pages: who is in a room's call. */
@Component
public class CallDirectory {

	private final PresenceRepository presence;

	private final TransactionalOperator transaction;

	private final CallFragments fragments;

	CallDirectory(PresenceRepository presence, TransactionalOperator transaction, CallFragments fragments) {
		this.presence = presence;
		this.fragments = fragments;
		this.transaction = transaction;
	}

	/** The installation's participant limit: the most an owner may allow. */
	public int maxParticipants() {
		return this.fragments.maxParticipants();
	}

	/** The room page's roster; an empty one (version 0) for a room that is gone. */
	public Mono<Roster> roster(String roomSlug) {
		return current(roomSlug).defaultIfEmpty(Roster.empty(this.fragments.maxParticipants()));
	}

	/**
	 * The roster as it is now, empty for a room that does not exist. The version is read first: a
	 * change in between makes the roster older than it is, never newer.
	 */
	private Mono<Roster> current(String roomSlug) {
		return this.presence.version(roomSlug).flatMap(version -> rosterAt(roomSlug, version));
	}

	/**
	 * The roster once the changes in flight have committed, handed to {@code use} under the room's lock.
	 * A change's roster goes out on the topic before its commit; this read waits for that commit, so a
	 * page that saw the roster and then asks gets at least that version, and in the order of the topic.
	 */
	Mono<Void> settled(String roomSlug, Consumer<Roster> use) {
		return this.transaction.transactional(this.presence.lockRoom(roomSlug)
				.flatMap(locked -> rosterAt(roomSlug, locked.version()))
				.doOnNext(use))
				.then();
	}

	private Mono<Roster> rosterAt(String roomSlug, long version) {
		return this.presence.callAt(roomSlug, version).map(this.fragments::rosterOf);
	}
}
