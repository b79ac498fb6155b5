package dev.confab.call;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.MessagingException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

import dev.confab.cluster.ClusterInstance;
import dev.confab.ice.IceServers;
import dev.confab.session.SessionControl;

/**
 * Joins, leaves and signals. Every change of a room's call runs while holding that room's row
 * lock, so each sees exactly who came before; its messages go out once it committed, in the order
 * of the room's changes on this instance ({@link CallChanges}).
 */
@Service
class CallService {

	private static final Log logger = LogFactory.getLog(CallService.class);

	/** What a joiner hears when its join committed but its own messages could not be sent. */
	static final String NOT_TOLD = "Your join could not be completed; join again.";

	private final PresenceRepository presence;

	private final TransactionalOperator transaction;

	private final ParticipantMessenger messenger;

	private final CallFragments fragments;

	private final RosterNews rosters;

	private final CallDirectory directory;

	private final LocalMembership membership;

	private final ApplicationEventPublisher events;

	private final String instanceId;

	private final IceServers ice;

	private final RoomAdmission admission;

	private final Ownership ownership;

	private final SessionControl sessions;

	private final CallRoutes routes;

	private final RequestGate gate;

	private final CallChanges changes;

	CallService(PresenceRepository presence, TransactionalOperator transaction, ParticipantMessenger messenger,
			CallFragments fragments, RosterNews rosters, CallDirectory directory, LocalMembership membership,
			ApplicationEventPublisher events, ClusterInstance instance, IceServers ice, RoomAdmission admission,
			Ownership ownership, SessionControl sessions, CallRoutes routes, RequestGate gate, CallChanges changes) {
		this.changes = changes;
		this.gate = gate;
		this.routes = routes;
		this.sessions = sessions;
		this.admission = admission;
		this.ownership = ownership;
		this.ice = ice;
		this.presence = presence;
		this.transaction = transaction;
		this.messenger = messenger;
		this.fragments = fragments;
		this.rosters = rosters;
		this.directory = directory;
		this.membership = membership;
		this.events = events;
		this.instanceId = instance.id();
	}

	/**
	 * The talk's join sequence; a session already in a call leaves that one first. Two steps, each
	 * under the room's lock: the participant is recorded first, then, once that has committed, it is
	 * announced. Nobody hears of a participant whose row a crash could still roll back, and one that
	 * is recorded but never announced (its instance died in between) leaves after its grace.
	 */
	Mono<Participant> join(String sessionId, String userName, String screenName, String roomSlug) {
		Participant joiner = Participant.joining(ParticipantIds.next(), roomSlug, sessionId, userName, screenName);
		String secret = ResumeSecrets.next();
		return leave(sessionId)
				.then(this.transaction.transactional(this.presence.lockRoom(roomSlug)
						.switchIfEmpty(Mono.error(() -> new ProtocolViolation("There is no room " + roomSlug + ".")))
						// A refused or waiting joiner is told so by the admission, and nothing is recorded.
						.filterWhen(room -> this.admission.admits(room, joiner))
						// changed(): the room counts as used, so the empty-room cleanup cannot take it from under the row.
						.flatMap(room -> this.presence.insert(joiner, this.instanceId, ResumeSecrets.hash(secret))
								.then(this.presence.changed(room)))))
				.flatMap(recorded -> announce(joiner, secret)
						.then(Mono.fromRunnable(() -> changed(roomSlug)))
						.thenReturn(joiner))
				.doOnError(ex -> this.membership.left(sessionId));
	}

	/** The join's second step; nothing to tell when the joiner left in between. */
	private Mono<Void> announce(Participant joiner, String secret) {
		String room = joiner.roomSlug();
		return this.transaction.transactional(this.presence.lockRoom(room)
				.flatMap(locked -> this.presence.markAnnounced(joiner.id(), joiner.sessionId())
						.filter(Boolean::booleanValue)
						.flatMap(announced -> this.presence.changedCall(locked))
						// In memory before the commit: a leave or resume of the session right after finds it.
						.doOnNext(call -> this.membership.joined(joiner))
						.flatMap(call -> this.changes.afterCommit(room,
								() -> announceJoin(joiner, secret, call, locked.relayOnly())))))
				.then();
	}

	/**
	 * Tiles before the events that refer to them; see docs/protocol.md, "Join sequence". After the
	 * commit: a joiner that cannot be told (the broker went away) is refused, and so leaves.
	 */
	private void announceJoin(Participant joiner, String secret, PresenceRepository.CallNow call, boolean relayOnly) {
		long version = call.version();
		List<Participant> others = call.participants().stream().filter(p -> !p.id().equals(joiner.id())).toList();
		String roster = this.rosters.toRoom(joiner.roomSlug(), call);
		try {
			this.messenger.send(joiner, CallMessages.html(others.isEmpty() ? roster : this.fragments.tiles(others, version) + roster));
			if (!others.isEmpty()) {
				String joinerTile = this.fragments.tiles(List.of(joiner), version);
				others.forEach(other -> this.messenger.trySend(other, CallMessages.html(joinerTile)));
				others.forEach(other -> this.messenger.trySend(other, CallMessages.other(joiner)));
			}
			this.messenger.send(joiner, CallMessages.connect(joiner, secret, this.ice.forParticipant(joiner.id(), relayOnly)));
			this.messenger.send(joiner, CallMessages.others(others));
		}
		catch (MessagingException ex) {
			logger.debug("Joiner not told, refused: " + ex.getMessage());
			this.sessions.refuse(joiner.sessionId(), NOT_TOLD);
			return;
		}
		this.events.publishEvent(new CallEntered(joiner, false, call.state().isOwner(joiner.userName())));
	}

	/** Leaves whatever call the session is in; nothing happens when it is in none (a leave seen twice). */
	Mono<Void> leave(String sessionId) {
		return participantOf(sessionId).flatMap(this::remove).then();
	}

	/**
	 * {@link #leave(String)} for a session this instance's memory knows in full: a resume comes
	 * first on a new session (or on one that joined or resumed here, which memory holds before its
	 * row commits), so a session memory does not name holds no participant, and the reload's path
	 * skips a database round trip.
	 */
	Mono<Void> leaveFromMemory(String sessionId) {
		return Mono.justOrEmpty(this.membership.participant(sessionId)).flatMap(this::remove).then();
	}

	/**
	 * Leaves the call of that room, or stops waiting to be let in; a leave for a room the session is
	 * not in changes nothing.
	 */
	Mono<Void> leave(String sessionId, String roomSlug) {
		return participantOf(sessionId).filter(p -> p.roomSlug().equals(roomSlug)).flatMap(this::remove)
				.switchIfEmpty(this.admission.stopWaiting(sessionId, roomSlug).thenReturn(false))
				.then();
	}

	/**
	 * The participant a session of this instance holds. Memory first: a join's or resume's messages
	 * leave before its transaction commits, so a leave sent right after them may not find the row
	 * yet; the leave's own lock on the room then waits for that commit.
	 */
	Mono<Participant> participantOf(String sessionId) {
		return Mono.justOrEmpty(this.membership.participant(sessionId)).switchIfEmpty(this.presence.bySession(sessionId));
	}

	private Mono<Boolean> remove(Participant leaver) {
		return remove(leaver, this.presence.delete(leaver.id(), leaver.sessionId()));
	}

	/**
	 * The leave: under the room's lock, {@code deleteRow} decides whether this call removes the
	 * participant; only then, once committed, are the others told, so each leave is told exactly once.
	 * @return true when this call removed the participant
	 */
	Mono<Boolean> remove(Participant leaver, Mono<Boolean> deleteRow) {
		String room = leaver.roomSlug();
		return this.transaction.transactional(this.presence.lockRoom(room)
						.flatMap(locked -> deleteRow.filter(Boolean::booleanValue)
								.flatMap(removed -> this.ownership.afterLeave(locked, leaver)
										.then(this.presence.changedCall(locked)))
								.flatMap(call -> this.changes.afterCommit(room, () -> announceLeave(leaver, call))
										.thenReturn(call))))
				.doOnNext(call -> {
					this.membership.left(leaver.sessionId());
					changed(room);
				})
				.hasElement();
	}

	/** Best effort: with the broker gone the leave still counts, and the others lost their sockets anyway. */
	private void announceLeave(Participant leaver, PresenceRepository.CallNow call) {
		call.participants().forEach(other -> this.messenger.trySend(other, CallMessages.disconnected(leaver)));
		this.rosters.toRoom(leaver.roomSlug(), call);
	}

	/** The room's roster as it is now, to one session (a page that just started following the room). */
	Mono<Void> sendRoster(String userName, String sessionId, String roomSlug) {
		return this.directory.settled(roomSlug, roster -> this.rosters.toSession(userName, sessionId, roster));
	}

	/** Fresh ICE servers (a new TURN credential) for a participant whose credential nears its expiry. */
	Mono<Void> refreshIce(String sessionId) {
		Participant participant = this.membership.participant(sessionId)
				.orElseThrow(() -> new ProtocolViolation("Join a call before asking for ICE servers."));
		return this.presence.isRelayOnly(participant.roomSlug())
				// The login may have ended while the room was read: no credential after it.
				.filter(relayOnly -> this.sessions.stillAuthenticated(sessionId))
				.doOnNext(relayOnly -> this.messenger.send(participant,
						CallMessages.ice(this.ice.forParticipant(participant.id(), relayOnly))))
				.then();
	}

	/**
	 * Relays a signal to one participant of the sender's call, stamped with the sender's id, routed
	 * from memory ({@link CallRoutes}). A recipient that is away gets nothing: its peers renegotiate
	 * when it resumes (docs/protocol.md). A sender in no call broke the protocol: the client closes
	 * its peers before it sends a leave, and sends nothing before its join's {@code connect} (or its
	 * resume's {@code resumed}) came. A recipient the routes lack is looked up in the database.
	 */
	Mono<Void> signal(String sessionId, SignalRequest signal) {
		Participant sender = this.membership.participant(sessionId)
				.orElseThrow(() -> new ProtocolViolation("Join a call before sending signals."));
		return this.routes.of(sender.roomSlug())
				.map(room -> Optional.ofNullable(room.participants().get(signal.to())))
				.defaultIfEmpty(Optional.empty())
				.flatMap(route -> route.isPresent()
						? Mono.fromRunnable(() -> relay(sender, signal, route.get()))
						: this.gate.admit(sessionId, signalStray(sender, signal)));
	}

	private void relay(Participant sender, SignalRequest signal, CallRoutes.Route to) {
		if (!to.away()) {
			this.messenger.sendToSession(to.userName(), to.sessionId(), CallMessages.signal(sender, signal));
		}
	}

	/**
	 * A recipient the sender's room does not list: one who left (the signal crossed that leave), one in
	 * another room (a protocol violation), or one the copy missed (it is read again next time).
	 */
	private Mono<Void> signalStray(Participant sender, SignalRequest signal) {
		return this.presence.byId(signal.to())
				.doOnNext(recipient -> {
					if (!recipient.roomSlug().equals(sender.roomSlug())) {
						throw new ProtocolViolation("You can only signal participants of your own call.");
					}
					this.routes.forget(sender.roomSlug());
					relay(sender, signal, new CallRoutes.Route(recipient.sessionId(), recipient.userName(), recipient.away()));
				})
				.switchIfEmpty(Mono.fromRunnable(() -> logger.debug("Signal to a participant who left, dropped")))
				.then();
	}

	/** The lobby's counts follow every join and leave. */
	private void changed(String roomSlug) {
		this.events.publishEvent(new CallChanged(roomSlug));
	}
}
