package dev.confab.call;

import java.util.List;

/**
 * Who is in a room's call, and how the room is set, as of one version of it: clients show a roster
 * only when it is newer than the one they have (docs/protocol.md, "Room roster").
 *
 * @param locked      nobody new may join
 * @param waitingRoom newcomers wait for the owner
 * @param capacity    the participant limit in force
 */
public record Roster(long version, List<RosterEntry> entries, boolean locked, boolean waitingRoom, int capacity) {

	public Roster {
		entries = List.copyOf(entries);
	}

	/** Nobody in the call, nothing set: the roster of a room that is gone. */
	static Roster empty(int capacity) {
		return new Roster(0, List.of(), false, false, capacity);
	}
}
