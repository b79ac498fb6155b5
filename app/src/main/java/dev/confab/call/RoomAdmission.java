package dev.confab.call;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.confab.cluster.ClusterInstance;
import dev.confab.session.SessionControl;

/**
 * Who may join a room's call now: the owner's removals, lock, capacity and waiting room, checked
 * under the room's lock by the join itself. A joiner turned away is told why on its own queue and
 * stays connected, out of the call; one that waits knocks, and the owner's pages list it.
 */
@Component
class RoomAdmission {

	static final String WAITING = "Waiting for the owner to let you in.";

	static final String LOCKED = "This room is locked.";

	static final String REMOVED = "You were removed from this call; you can join again in a few minutes.";

	static final String NOT_LET_IN = "The owner did not let you in.";

	private final PresenceRepository presence;

	private final RoomControlRepository control;

	private final ParticipantMessenger messenger;

	private final CallFragments fragments;

	private final TransactionalOperator transaction;

	private final String instanceId;

	private final SessionControl sessions;

	RoomAdmission(PresenceRepository presence, RoomControlRepository control, ParticipantMessenger messenger,
			CallFragments fragments, TransactionalOperator transaction, ClusterInstance instance, SessionControl sessions) {
		this.sessions = sessions;
		this.presence = presence;
		this.control = control;
		this.messenger = messenger;
		this.fragments = fragments;
		this.transaction = transaction;
		this.instanceId = instance.id();
	}

	static String full(long inCall) {
		return "This room is full: " + inCall + (inCall == 1 ? " person is" : " people are") + " in the call.";
	}

	/**
	 * Under the room's lock: whether the joiner joins now. The owner's user passes a lock and the
	 * waiting room, never the capacity.
	 */
	Mono<Boolean> admits(PresenceRepository.LockedRoom room, Participant joiner) {
		RoomState state = room.state();
		boolean owner = state.isOwner(joiner.userName());
		return this.control.isRemoved(room.slug(), joiner.userName()).flatMap(removed -> {
			if (removed) {
				return refuse(joiner, "removed", REMOVED);
			}
			if (state.locked() && !owner) {
				return refuse(joiner, "locked", LOCKED);
			}
			return this.presence.count(room.slug()).flatMap(inCall -> {
				if (inCall >= this.fragments.capacity(state)) {
					return refuse(joiner, "full", full(inCall));
				}
				if (state.waitingRoom() && !owner) {
					return knock(room, joiner);
				}
				return Mono.just(true);
			});
		});
	}

	/** Let in already: the join passes. Knocked already: still waiting. Else it knocks now and the owner hears. */
	private Mono<Boolean> knock(PresenceRepository.LockedRoom room, Participant joiner) {
		return this.control.knockOf(joiner.sessionId())
				.filter(state -> state.knock().roomSlug().equals(room.slug()))
				.flatMap(state -> state.admitted() ? this.control.deleteKnock(state.knock().id()).thenReturn(true)
						: waits(joiner))
				.switchIfEmpty(Mono.defer(() -> this.control.deleteKnockOf(joiner.sessionId())
						.then(this.control.insertKnock(new Knock(ParticipantIds.next(), room.slug(), joiner.sessionId(),
								joiner.userName(), joiner.screenName()), this.instanceId))
						.then(showKnocks(room.slug(), room.state()))
						.then(waits(joiner))));
	}

	private Mono<Boolean> waits(Participant joiner) {
		this.messenger.send(joiner, CallMessages.waiting(WAITING));
		return Mono.just(false);
	}

	private Mono<Boolean> refuse(Participant joiner, String reason, String message) {
		this.messenger.send(joiner, CallMessages.refused(reason, message));
		return Mono.just(false);
	}

	/** The list of who waits, to every page of the owner in the call. */
	Mono<Void> showKnocks(String slug, RoomState state) {
		return this.control.waiting(slug).collectList().zipWith(this.presence.inRoom(slug).collectList())
				.doOnNext(both -> {
					String list = this.fragments.knocks(both.getT1());
					both.getT2().stream().filter(p -> state.isOwner(p.userName()))
						.forEach(owner -> this.messenger.trySend(owner, CallMessages.html(list)));
				})
				.then();
	}

	/**
	 * For a new owner: the list, only when someone waits (an owner's page without knocks shows none
	 * already, and the others' events keep their order); the pages of the old owner get the empty
	 * list then, which hides theirs.
	 */
	Mono<Void> moveKnocks(String slug, RoomState before, RoomState after) {
		return this.control.waiting(slug).collectList().filter(knocks -> !knocks.isEmpty())
				.flatMap(knocks -> this.presence.inRoom(slug).collectList().doOnNext(pages -> {
					String list = this.fragments.knocks(knocks);
					String none = this.fragments.knocks(List.of());
					for (Participant page : pages) {
						if (after.isOwner(page.userName())) {
							this.messenger.trySend(page, CallMessages.html(list));
						}
						else if (before.isOwner(page.userName())) {
							this.messenger.trySend(page, CallMessages.html(none));
						}
					}
				}))
				.then();
	}

	/** Lets one waiting session in: it joins again on its own instance, and now passes. */
	Mono<Void> admit(Knock knock) {
		return this.control.admit(knock.id()).filter(Boolean::booleanValue)
				.doOnNext(admitted -> this.messenger.trySendToSession(knock.userName(), knock.sessionId(),
						CallMessages.admitted()))
				.then();
	}

	/**
	 * Everyone waiting comes in (the waiting room was turned off, or the call emptied): told so, and
	 * every knock of the room goes, since no join needs one now.
	 */
	Mono<Void> admitAll(String slug) {
		return this.control.waiting(slug)
				.doOnNext(knock -> this.messenger.trySendToSession(knock.userName(), knock.sessionId(), CallMessages.admitted()))
				.then(this.control.deleteKnocksIn(slug));
	}

	Mono<Void> notLetIn(Knock knock) {
		return this.control.deleteKnock(knock.id()).filter(Boolean::booleanValue)
				.doOnNext(deleted -> this.messenger.trySendToSession(knock.userName(), knock.sessionId(),
						CallMessages.refused("refused", NOT_LET_IN)))
				.then();
	}

	/**
	 * The session stops waiting for that room (its page's "Stop waiting"): under the room's lock, so a
	 * knock whose join is still committing is seen; the owner's list follows.
	 */
	Mono<Void> stopWaiting(String sessionId, String slug) {
		return this.transaction.transactional(this.presence.lockRoom(slug)
				.flatMap(room -> this.control.deleteKnockOf(sessionId)
						.flatMap(knock -> showKnocks(room.slug(), room.state()))));
	}

	/**
	 * The session's socket closed: its knock goes, if it has committed already; one that commits
	 * later is found by the sweep ({@link #dropOrphanKnocks}).
	 */
	Mono<Void> sessionGone(String sessionId) {
		return this.control.deleteKnockOf(sessionId).flatMap(this::forgetKnock);
	}

	/** Knocks of instances that died, and of this instance's sessions that are closed: nobody waits behind them. */
	Mono<Long> dropOrphanKnocks() {
		return this.control.orphanKnocks()
				.concatWith(this.control.knocksOf(this.instanceId).filter(knock -> !this.sessions.isOpen(knock.sessionId())))
				.concatMap(knock -> this.control.deleteKnock(knock.id()).filter(Boolean::booleanValue)
						.flatMap(deleted -> forgetKnock(knock)).thenReturn(1L))
				.reduce(0L, Long::sum);
	}

	private Mono<Void> forgetKnock(Knock knock) {
		return this.transaction.transactional(this.presence.lockRoom(knock.roomSlug())
				.flatMap(room -> showKnocks(room.slug(), room.state())));
	}

	Flux<Knock> waiting(String slug) {
		return this.control.waiting(slug);
	}
}
