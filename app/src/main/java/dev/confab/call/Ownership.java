package dev.confab.call;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Who owns a room when its owner goes: ownership passes to the longest-present participant (the
 * first to have joined of those still in the call), so the room stays usable; when the call empties,
 * the creator owns the room again and it opens up (no lock, no waiting room; those waiting come in).
 * An owner that is away (a reload, a lost socket) keeps the room: only a leave passes it on.
 */
@Component
class Ownership {

	private final PresenceRepository presence;

	private final RoomControlRepository control;

	private final RoomAdmission admission;

	Ownership(PresenceRepository presence, RoomControlRepository control, RoomAdmission admission) {
		this.presence = presence;
		this.control = control;
		this.admission = admission;
	}

	/** Under the room's lock, once the leaver's row is gone. */
	Mono<Void> afterLeave(PresenceRepository.LockedRoom room, Participant leaver) {
		RoomState state = room.state();
		return this.presence.inRoom(room.slug()).collectList().flatMap(remaining -> {
			if (remaining.isEmpty()) {
				return this.control.reset(room.slug()).then(this.admission.admitAll(room.slug()));
			}
			boolean ownerStays = remaining.stream().anyMatch(p -> state.isOwner(p.userName()));
			if (!state.isOwner(leaver.userName()) || ownerStays) {
				return Mono.empty();
			}
			String heir = remaining.get(0).userName();
			return this.control.setOwner(room.slug(), heir)
					.then(this.admission.moveKnocks(room.slug(), state, withOwner(state, heir)));
		});
	}

	static RoomState withOwner(RoomState state, String owner) {
		return new RoomState(owner, state.creator(), state.locked(), state.waitingRoom(), state.ownerCapacity());
	}
}
