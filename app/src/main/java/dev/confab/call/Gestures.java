package dev.confab.call;

import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

import dev.confab.limits.PerMinuteLimit;

/**
 * What a participant shows the others besides its media: a raised hand (kept in presence, so it
 * outlives a resume and late joiners see it) and reactions (sent once, kept nowhere).
 */
@Service
class Gestures {

	/** The reactions a page can draw; the wire carries these keys, never the characters. */
	static final Set<String> REACTIONS = Set.of("thumbs-up", "heart", "laugh", "tada", "clap", "wow");

	private final PresenceRepository presence;

	private final TransactionalOperator transaction;

	private final LocalMembership membership;

	private final RosterNews rosters;

	private final ParticipantMessenger messenger;

	private final PerMinuteLimit reactions;

	private final CallChanges changes;

	Gestures(PresenceRepository presence, TransactionalOperator transaction, LocalMembership membership,
			RosterNews rosters, ParticipantMessenger messenger, CallProperties properties, CallChanges changes) {
		this.changes = changes;
		this.presence = presence;
		this.transaction = transaction;
		this.membership = membership;
		this.rosters = rosters;
		this.messenger = messenger;
		this.reactions = new PerMinuteLimit(properties.reactionsPerMinute());
	}

	/** Raises or lowers the sender's own hand; the roster (which shows hands in order) follows. */
	Mono<Void> hand(String sessionId, boolean raised) {
		Participant self = participant(sessionId, "Join a call before raising your hand.");
		return this.transaction.transactional(this.presence.lockRoom(self.roomSlug())
				.flatMap(room -> this.presence.setHand(self.id(), raised)
						.filter(Boolean::booleanValue)
						.flatMap(changed -> this.presence.changedCall(room))
						.flatMap(call -> this.changes.afterCommit(room.slug(), () -> this.rosters.toRoom(room.slug(), call)))))
				.then();
	}

	/** To everyone in the call, the sender included; over the rate they are dropped, they are only decoration. */
	Mono<Void> react(String sessionId, String emoji) {
		Participant self = participant(sessionId, "Join a call before sending reactions.");
		if (!REACTIONS.contains(emoji)) {
			throw new ProtocolViolation("Unknown reaction.");
		}
		if (!this.reactions.tryAcquire(self.id())) {
			return Mono.empty();
		}
		return this.presence.inRoom(self.roomSlug())
				.filter(p -> !p.away())
				.doOnNext(p -> this.messenger.trySend(p, CallMessages.reaction(self, emoji)))
				.then();
	}

	void forget(String participantId) {
		this.reactions.forget(participantId);
	}

	private Participant participant(String sessionId, String refusal) {
		return this.membership.participant(sessionId).orElseThrow(() -> new ProtocolViolation(refusal));
	}
}
