package dev.confab.session;

/**
 * Published once when a client session ends, however it ends: DISCONNECT, a closed socket,
 * an ERROR, a slow client, logout, shutdown.
 *
 * @param sessionId the transport's globally unique session id
 * @param userName  the principal name of the session's user
 * @param resumable the session ended without the client or the server choosing to end its call
 *                  (the socket closed or dropped, the instance shut down, the broker went away, a
 *                  slow client): its participant may resume on another session. False after a
 *                  DISCONNECT frame, logout or a refusal of a protocol violation.
 */
public record ClientSessionClosed(String sessionId, String userName, boolean resumable) {
}
