package dev.confab.session;

/** What the domain may ask of the transport about one live client session on this instance. */
public interface SessionControl {

	/** Tells the client why it is refused and ends its session (a STOMP ERROR, then close); its call ends with it. */
	void refuse(String sessionId, String reason);

	/**
	 * Ends every session on this instance, telling each client why; their calls wait for them to
	 * reconnect and resume.
	 */
	void refuseAll(String reason);

	/** True while the session is open on this instance. */
	boolean isOpen(String sessionId);
}
