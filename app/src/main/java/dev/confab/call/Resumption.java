package dev.confab.call;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.MessagingException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

import dev.confab.cluster.ClusterInstance;
import dev.confab.ice.IceServers;
import dev.confab.session.SessionControl;

/**
 * Resume: a participant whose session was lost continues on a new session, on any instance, as
 * the same participant (docs/protocol.md, "Resume"). Only the user it belongs to, holding its
 * secret, within its grace.
 */
@Component
class Resumption {

	static final String UNKNOWN = "Cannot resume: unknown participant or wrong secret; join again.";

	static final String GRACE_OVER = "Cannot resume: the grace period is over; join again.";

	static final String TAKEN_OVER = "This call continues on another connection.";

	/** The resume committed, but its messages could not be sent: the page comes back and resumes again. */
	static final String NOT_TOLD = "Resume not completed; reconnect in a moment.";

	private final PresenceRepository presence;

	private final TransactionalOperator transaction;

	private final CallService calls;

	private final ParticipantMessenger messenger;

	private final CallFragments fragments;

	private final RosterNews rosters;

	private final LocalMembership membership;

	private final SessionControl sessions;

	private final IceServers ice;

	private final String instanceId;

	private final ApplicationEventPublisher events;

	private final CallChanges changes;

	Resumption(PresenceRepository presence, TransactionalOperator transaction, CallService calls,
			ParticipantMessenger messenger, CallFragments fragments, RosterNews rosters, LocalMembership membership,
			SessionControl sessions, IceServers ice, ClusterInstance instance, ApplicationEventPublisher events,
			CallChanges changes) {
		this.changes = changes;
		this.events = events;
		this.presence = presence;
		this.transaction = transaction;
		this.calls = calls;
		this.messenger = messenger;
		this.fragments = fragments;
		this.rosters = rosters;
		this.membership = membership;
		this.sessions = sessions;
		this.ice = ice;
		this.instanceId = instance.id();
	}

	/** A session already in a call leaves it first, as with a join. */
	Mono<Void> resume(String sessionId, String userName, ResumeRequest request) {
		return this.calls.leaveFromMemory(sessionId)
				.then(this.presence.stored(request.id()))
				.filter(stored -> stored.participant().userName().equals(userName)
						&& ResumeSecrets.matches(request.secret(), stored.resumeHash()))
				.switchIfEmpty(Mono.error(() -> new ProtocolViolation(UNKNOWN)))
				.flatMap(stored -> resumeLocked(sessionId, stored.participant(), request))
				// No lobby news: the room's count is what it was.
				.doOnNext(previous -> {
					if (!previous.sessionId().equals(sessionId) && this.sessions.isOpen(previous.sessionId())) {
						this.sessions.refuse(previous.sessionId(), TAKEN_OVER);
					}
				})
				.doOnError(ex -> this.membership.left(sessionId))
				.then();
	}

	/** @return the participant as it was before the resume */
	private Mono<Participant> resumeLocked(String sessionId, Participant participant, ResumeRequest request) {
		String room = participant.roomSlug();
		return this.transaction.transactional(this.presence.lockRoom(room)
						.flatMap(locked -> this.presence.storedWithClock(participant.id())
								.flatMap(current -> {
									if (current.stored().expiredAt(current.now())) {
										return Mono.error(new GraceOver(current.stored().participant(), current.now()));
									}
									return this.presence.resume(participant.id(), sessionId, this.instanceId, request.fresh())
											.then(this.presence.changedCall(locked))
											// In memory before the commit, as a join's: the session's next leave finds it.
											.doOnNext(call -> this.membership.joined(selfIn(call, participant.id())))
											.flatMap(call -> this.changes.afterCommit(room,
													() -> announce(participant.id(), call, request, locked.relayOnly())))
											.thenReturn(current.stored().participant());
								})))
				.switchIfEmpty(Mono.error(() -> new ProtocolViolation(UNKNOWN)))
				.onErrorResume(GraceOver.class, over -> this.calls
						.remove(over.participant, this.presence.deleteExpired(over.participant.id(), over.seenAt))
						.then(Mono.error(new ProtocolViolation(GRACE_OVER))));
	}

	/**
	 * After the commit. A resumer that cannot be told (the broker went away) is asked to come back:
	 * its participant, moved to this session, turns away with it and waits for the next resume.
	 */
	private void announce(String selfId, PresenceRepository.CallNow call, ResumeRequest request, boolean relayOnly) {
		long version = call.version();
		Participant self = selfIn(call, selfId);
		List<Participant> others = call.participants().stream().filter(p -> !p.id().equals(selfId)).toList();
		List<Participant> missingTiles = others.stream().filter(other -> !request.hasTile(other)).toList();
		String roster = this.rosters.toRoom(self.roomSlug(), call);
		// The others first: the resumer's fresh offers must find their peers already renewed.
		others.forEach(other -> this.messenger.trySend(other,
				request.isLive(other) ? CallMessages.back(self) : CallMessages.renew(self)));
		try {
			this.messenger.send(self, CallMessages.html(missingTiles.isEmpty() ? roster
					: this.fragments.tiles(missingTiles, version) + roster));
			this.messenger.send(self, CallMessages.resumed(self, others, request, this.ice.forParticipant(self.id(), relayOnly)));
		}
		catch (MessagingException ex) {
			this.sessions.shed(self.sessionId(), NOT_TOLD);
			return;
		}
		this.events.publishEvent(new CallEntered(self, true, call.state().isOwner(self.userName())));
	}

	private static Participant selfIn(PresenceRepository.CallNow call, String selfId) {
		return call.participants().stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow();
	}

	/** The participant was found away past its grace: it leaves, and the resume is refused. */
	private static final class GraceOver extends RuntimeException {

		private final transient Participant participant;

		/** Database time at which the grace was found over. */
		private final transient OffsetDateTime seenAt;

		GraceOver(Participant participant, OffsetDateTime seenAt) {
			super(null, null, false, false);
			this.participant = participant;
			this.seenAt = seenAt;
		}
	}
}
