package dev.confab.call;

/** Someone joined or left the call of a room: lobby counts and rosters are out of date. */
public record CallChanged(String roomSlug) {
}
