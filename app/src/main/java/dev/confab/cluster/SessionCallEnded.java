package dev.confab.cluster;

/**
 * Published on every instance when a session's call was ended elsewhere (the room's owner removed
 * its participant): the instance holding the session forgets its membership.
 */
public record SessionCallEnded(String sessionId) {
}
