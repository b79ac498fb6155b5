package dev.confab.call;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

import dev.confab.cluster.DatabaseClock;
import dev.confab.session.SessionControl;

/**
 * The grace period of participants that lost their session (docs/protocol.md, "Away and the grace
 * period"). Deadlines are on the database's clock and in the database, so whichever instance looks
 * next takes over the timers of one that died.
 */
@Component
class AwayTracker {

	private final PresenceRepository presence;

	private final TransactionalOperator transaction;

	private final DatabaseClock clock;

	private final RosterNews rosters;

	private final CallService calls;

	private final CallProperties properties;

	private final SessionControl sessions;

	private final CallChanges changes;

	AwayTracker(PresenceRepository presence, TransactionalOperator transaction, DatabaseClock clock, RosterNews rosters,
			CallService calls, CallProperties properties, SessionControl sessions, CallChanges changes) {
		this.changes = changes;
		this.sessions = sessions;
		this.presence = presence;
		this.transaction = transaction;
		this.clock = clock;
		this.rosters = rosters;
		this.calls = calls;
		this.properties = properties;
	}

	/** The session's socket closed without a leave: its participant waits, away, for a resume. */
	Mono<Void> sessionLost(String sessionId) {
		return awayFor(sessionId, this.properties.resumeGrace());
	}

	/**
	 * A socket that closed while its join was in flight found no participant to mark away; its
	 * participant must not stay behind as if connected. It may have received {@code connect} and
	 * its secret already, so it gets the grace like any lost session.
	 */
	Mono<Void> ifSessionGone(Participant joiner) {
		return Mono.defer(() -> this.sessions.isOpen(joiner.sessionId()) ? Mono.empty() : sessionLost(joiner.sessionId()));
	}

	/** The page said it is going away: a reload resumes within the short unload grace, a closed tab leaves after it. */
	Mono<Void> unloading(String sessionId) {
		return awayFor(sessionId, this.properties.unloadGrace());
	}

	/** Participants of instances that died turn away now, with the full grace to resume elsewhere. */
	Mono<Long> orphansAway() {
		return this.clock.now().flatMapMany(now -> this.presence.orphans()
						.concatMap(orphan -> markAway(orphan, now.plus(this.properties.resumeGrace()))))
				.filter(Boolean::booleanValue)
				.count();
	}

	/** Participants whose grace ran out leave, each told once by whichever instance deletes it first. */
	Mono<Long> expire() {
		return this.clock.now().flatMapMany(now -> this.presence.expired(now)
						.concatMap(gone -> this.calls.remove(gone, this.presence.deleteExpired(gone.id(), now))))
				.filter(Boolean::booleanValue)
				.count();
	}

	private Mono<Void> awayFor(String sessionId, Duration grace) {
		return this.calls.participantOf(sessionId)
				.flatMap(participant -> this.clock.now().flatMap(now -> markAway(participant, now.plus(grace))))
				.then();
	}

	/** Under the room's lock; a resume that moved the participant to another session meanwhile wins. */
	private Mono<Boolean> markAway(Participant participant, OffsetDateTime until) {
		String room = participant.roomSlug();
		return this.transaction.transactional(this.presence.lockRoom(room)
						.flatMap(locked -> this.presence.byId(participant.id())
								.filter(current -> current.sessionId().equals(participant.sessionId()))
								.flatMap(current -> this.presence.markAway(current.id(), until))
								.filter(Boolean::booleanValue)
								.flatMap(marked -> this.presence.changedCall(locked))
								.flatMap(call -> this.changes.afterCommit(room, () -> this.rosters.toRoom(room, call))
										.thenReturn(call))))
				.hasElement();
	}
}
