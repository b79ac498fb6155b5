package dev.confab.session;

/**
 * Published once when a client session ends, however it ends: DISCONNECT, a closed socket,
 * an ERROR, a slow client, logout.
 *
 * @param sessionId the transport's globally unique session id
 * @param userName  the principal name of the session's user
 */
public record ClientSessionClosed(String sessionId, String userName) {
}
