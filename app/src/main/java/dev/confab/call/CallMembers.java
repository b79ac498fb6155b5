package dev.confab.call;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

/**
 * What features beside the call (chat) may know of it and do with it: who a session of this
 * instance is in a call as, the room's participants under the room's lock (so that one room's
 * messages have one order on every instance), and best-effort sends to one participant.
 */
@Component
public class CallMembers {

	private final LocalMembership membership;

	private final PresenceRepository presence;

	private final TransactionalOperator transaction;

	private final ParticipantMessenger messenger;

	CallMembers(LocalMembership membership, PresenceRepository presence, TransactionalOperator transaction,
			ParticipantMessenger messenger) {
		this.membership = membership;
		this.presence = presence;
		this.transaction = transaction;
		this.messenger = messenger;
	}

	/** The participant a session of this instance is in a call as; empty when it is in none. */
	public Optional<Participant> participantOf(String sessionId) {
		return this.membership.participant(sessionId);
	}

	/**
	 * Runs {@code work} in a transaction holding the room's row lock, with the room's announced
	 * participants (away ones included) in joining order; empty when the room is gone.
	 */
	public <T> Mono<T> underRoomLock(String roomSlug, Function<List<Participant>, Mono<T>> work) {
		return this.transaction.transactional(this.presence.lockRoom(roomSlug)
				.flatMap(room -> this.presence.inRoom(roomSlug).collectList())
				.flatMap(work));
	}

	/** To one participant's own queue; lost when the broker is away (the page gets it again on resume). */
	public void send(Participant to, Map<String, Object> body) {
		this.messenger.trySend(to, body);
	}
}
