package dev.confab.stomp;

/**
 * Why a session got an ERROR frame, by where it was decided: the {@code reason} tag of
 * {@code confab.stomp.errors}. A fixed set, unlike the messages, which name limits and destinations.
 */
enum ErrorReason {

	/** Larger than the frame limit, or not a STOMP frame. */
	FRAME("frame"),

	/** Over the session's frame rate. */
	RATE("rate"),

	/** A frame the transport's rules refuse ({@link InboundRules}): order, destination, subscriptions. */
	PROTOCOL("protocol"),

	/** A CONNECT refused: the instance drains, the broker is away, or the user has too many sockets. */
	CONNECT("connect"),

	/** No CONNECT within the connect timeout. */
	CONNECT_TIMEOUT("connect-timeout"),

	/** The identity cookie the socket was opened with expired. */
	LOGIN_EXPIRED("login-expired"),

	/** The user logged out (on any instance). */
	LOGGED_OUT("logged-out"),

	/** The application refused a request ({@code SessionControl.refuse}): a protocol violation or a failure. */
	APPLICATION("application"),

	/** The application shed the session: too many of its requests, or of the instance's, wait on the database. */
	BUSY("busy"),

	/** The application ended every session of the instance ({@code SessionControl.refuseAll}). */
	SERVER("server"),

	/** The instance shuts down and moves its clients elsewhere. */
	SHUTDOWN("shutdown"),

	/** The broker side ended the session: a relay error, the broker lost, or no heart-beats from the client. */
	BROKER("broker");

	private final String tag;

	ErrorReason(String tag) {
		this.tag = tag;
	}

	String tag() {
		return this.tag;
	}
}
