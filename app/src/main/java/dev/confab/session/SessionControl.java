package dev.confab.session;

/** What the domain may ask of the transport about one live client session on this instance. */
public interface SessionControl {

	/** Tells the client why it is refused and ends its session (a STOMP ERROR, then close). */
	void refuse(String sessionId, String reason);

	/** Ends every session on this instance, telling each client why. */
	void refuseAll(String reason);

	/** True while the session is open on this instance. */
	boolean isOpen(String sessionId);

	/** Drops every subscription the session holds to exactly this destination. */
	void unsubscribe(String sessionId, String destination);
}
