package dev.confab.call;

import java.util.List;

/**
 * Who is in a room's call, as of one version of it: clients show a roster only when it is newer
 * than the one they have (docs/protocol.md, "Room roster").
 */
public record Roster(long version, List<RosterEntry> entries) {

	public Roster {
		entries = List.copyOf(entries);
	}
}
