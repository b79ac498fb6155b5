package dev.confab.call;

/** What the room page shows of one participant of the call. */
public record RosterEntry(String id, String name, boolean away) {
}
