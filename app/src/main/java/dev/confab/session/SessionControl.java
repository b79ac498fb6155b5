package dev.confab.session;

/** What the domain may ask of the transport about one live client session on this instance. */
public interface SessionControl {

	/** Tells the client why it is refused and ends its session (a STOMP ERROR, then close); its call ends with it. */
	void refuse(String sessionId, String reason);

	/**
	 * Sheds the session: the instance is too busy for what it asked. It is told why (a STOMP ERROR
	 * that asks it to reconnect in a while, then close), and its call waits for its resume.
	 */
	void shed(String sessionId, String reason);

	/**
	 * Ends every session on this instance, telling each client why; their calls wait for them to
	 * reconnect and resume.
	 */
	void refuseAll(String reason);

	/** True while the session is open on this instance. */
	boolean isOpen(String sessionId);

	/**
	 * Whether the session may still be given what outlives it (a TURN credential): open here, and
	 * the login it was opened under not expired at this instant. A frame accepted just before the
	 * expiry may be handled just after it; such a session is refused now, with the reason.
	 */
	boolean stillAuthenticated(String sessionId);
}
