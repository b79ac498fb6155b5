package dev.confab.call;

import java.util.function.BiFunction;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

import dev.confab.cluster.DatabaseClock;
import dev.confab.cluster.SessionCallEnds;

/**
 * What a room's owner can do (docs/protocol.md, "Room control"). Every command runs under the
 * room's lock, checks there that its sender's user owns the room, and ends with the roster (which
 * carries the room's state) pushed to the room: one order of changes on every instance.
 */
@Service
class RoomControl {

	static final String NOT_OWNER = "Only the room's owner can do that.";

	static final String REMOVED = "The owner removed you from the call.";

	private final CallChanges changes;

	private final PresenceRepository presence;

	private final RoomControlRepository control;

	private final TransactionalOperator transaction;

	private final LocalMembership membership;

	private final RoomAdmission admission;

	private final RosterNews rosters;

	private final ParticipantMessenger messenger;

	private final CallService calls;

	private final CallFragments fragments;

	private final DatabaseClock clock;

	private final SessionCallEnds callEnds;

	private final ApplicationEventPublisher events;

	private final CallProperties properties;

	RoomControl(PresenceRepository presence, RoomControlRepository control, TransactionalOperator transaction,
			LocalMembership membership, RoomAdmission admission, RosterNews rosters, ParticipantMessenger messenger,
			CallService calls, CallFragments fragments, DatabaseClock clock, SessionCallEnds callEnds,
			ApplicationEventPublisher events, CallProperties properties, CallChanges changes) {
		this.changes = changes;
		this.presence = presence;
		this.control = control;
		this.transaction = transaction;
		this.membership = membership;
		this.admission = admission;
		this.rosters = rosters;
		this.messenger = messenger;
		this.calls = calls;
		this.fragments = fragments;
		this.clock = clock;
		this.callEnds = callEnds;
		this.events = events;
		this.properties = properties;
	}

	Mono<Void> lock(String sessionId, boolean locked) {
		return asOwner(sessionId, (owner, room) -> this.control.setLocked(room.slug(), locked)
				.then(rosterChanged(room))
				// The lobby says which rooms are locked.
				.doOnSuccess(done -> this.events.publishEvent(new CallChanged(room.slug()))));
	}

	/** Turning the waiting room off lets everyone waiting in. */
	Mono<Void> waitingRoom(String sessionId, boolean on) {
		return asOwner(sessionId, (owner, room) -> this.control.setWaitingRoom(room.slug(), on)
				.then(on ? Mono.empty() : this.admission.admitAll(room.slug()))
				.then(this.admission.showKnocks(room.slug(), room.state()))
				.then(rosterChanged(room)));
	}

	/** At least two, at most the installation's limit; those already in the call stay. */
	Mono<Void> capacity(String sessionId, int capacity) {
		int max = this.properties.maxParticipants();
		if (capacity < 2 || capacity > max) {
			throw new ProtocolViolation("A room's capacity is between 2 and " + max + " people.");
		}
		return asOwner(sessionId, (owner, room) -> this.control.setCapacity(room.slug(), capacity).then(rosterChanged(room)));
	}

	/** A knock that is gone (the person stopped waiting) only refreshes the owner's list. */
	Mono<Void> admit(String sessionId, String knockId) {
		return asOwner(sessionId, (owner, room) -> knockIn(room, knockId).flatMap(this.admission::admit)
				.then(this.admission.showKnocks(room.slug(), room.state())));
	}

	Mono<Void> refuse(String sessionId, String knockId) {
		return asOwner(sessionId, (owner, room) -> knockIn(room, knockId).flatMap(this.admission::notLetIn)
				.then(this.admission.showKnocks(room.slug(), room.state())));
	}

	/**
	 * Ends the participant's call at once, on whatever instance holds it, and keeps its user out for
	 * {@code confab.call.removal-ban}: the others get {@code disconnected}, it gets {@code removed}.
	 */
	Mono<Void> remove(String sessionId, String participantId) {
		return asOwner(sessionId, (owner, room) -> target(room, participantId).flatMap(target -> {
			if (room.state().isOwner(target.userName())) {
				return Mono.error(new ProtocolViolation("The owner cannot be removed; hand over first."));
			}
			return this.clock.now()
					.flatMap(now -> this.control.rememberRemoval(room.slug(), target.userName(),
							now.plus(this.properties.removalBan())))
					.then(this.calls.remove(target, this.presence.deleteById(target.id())))
					.filter(Boolean::booleanValue)
					.doOnNext(removed -> {
						// The instance holding the session forgets its call first, then the page hears why.
						this.callEnds.end(target.sessionId());
						this.messenger.trySend(target, CallMessages.removed(REMOVED));
					})
					.then();
		}));
	}

	/** A request: the target's page turns its microphone off; nothing on the server can silence a mesh. */
	Mono<Void> askToMute(String sessionId, String participantId) {
		return asOwner(sessionId, (owner, room) -> target(room, participantId)
				.doOnNext(target -> this.messenger.trySend(target, CallMessages.muteRequest()))
				.then());
	}

	Mono<Void> lowerHand(String sessionId, String participantId) {
		return asOwner(sessionId, (owner, room) -> target(room, participantId)
				.flatMap(target -> this.presence.setHand(target.id(), false))
				.filter(Boolean::booleanValue)
				.flatMap(changed -> rosterChanged(room)));
	}

	/** The target's user owns the room from now on; the old owner's pages lose the waiting list. */
	Mono<Void> handOver(String sessionId, String participantId) {
		return asOwner(sessionId, (owner, room) -> target(room, participantId).flatMap(heir -> {
			if (room.state().isOwner(heir.userName())) {
				return Mono.empty();
			}
			RoomState after = Ownership.withOwner(room.state(), heir.userName());
			return this.control.setOwner(room.slug(), heir.userName())
					.then(this.admission.moveKnocks(room.slug(), room.state(), after))
					.then(rosterChanged(room));
		}));
	}

	/** An owner's page (a join or resume, a reload) gets the waiting list, when someone waits. */
	Mono<Void> entered(Participant owner) {
		return this.admission.waiting(owner.roomSlug()).collectList()
				.filter(knocks -> !knocks.isEmpty())
				.doOnNext(knocks -> this.messenger.trySend(owner, CallMessages.html(this.fragments.knocks(knocks))))
				.then();
	}

	private Mono<Void> rosterChanged(PresenceRepository.LockedRoom room) {
		return this.presence.changedCall(room)
				.flatMap(call -> this.changes.afterCommit(room.slug(), () -> this.rosters.toRoom(room.slug(), call)));
	}

	private Mono<Participant> target(PresenceRepository.LockedRoom room, String participantId) {
		return this.presence.byId(participantId)
				.filter(p -> p.roomSlug().equals(room.slug()))
				.switchIfEmpty(Mono.error(() -> new ProtocolViolation("There is no such participant in this call.")));
	}

	private Mono<Knock> knockIn(PresenceRepository.LockedRoom room, String knockId) {
		return this.control.knock(knockId).filter(knock -> knock.roomSlug().equals(room.slug()));
	}

	/** Runs {@code work} under the lock of the sender's room, once its user is found to own it. */
	private Mono<Void> asOwner(String sessionId,
			BiFunction<Participant, PresenceRepository.LockedRoom, Mono<Void>> work) {
		Participant sender = this.membership.participant(sessionId)
				.orElseThrow(() -> new ProtocolViolation("Join a call before using the owner's controls."));
		return this.transaction.transactional(this.presence.lockRoom(sender.roomSlug())
				.switchIfEmpty(Mono.error(() -> new ProtocolViolation("There is no room " + sender.roomSlug() + ".")))
				.flatMap(room -> room.state().isOwner(sender.userName()) ? work.apply(sender, room)
						: Mono.error(new ProtocolViolation(NOT_OWNER))));
	}
}
