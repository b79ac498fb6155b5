package dev.confab.identity;

/**
 * Implemented by the WebSocket transport: closes every open socket of that user on this
 * instance. Identity only publishes {@link UserLoggedOut}; the cluster package calls this on
 * logout, directly ({@code LogoutFanout}, embedded mode or when RabbitMQ refuses) or on every
 * instance from the control exchange ({@code ControlChannel}, relay mode). Declared here so that
 * the transport implements it without identity importing transport code.
 */
public interface UserConnections {

	/**
	 * @param userName the user's principal name, {@link ConfabUser#getName()} (the user id)
	 */
	void closeAll(String userName);
}
