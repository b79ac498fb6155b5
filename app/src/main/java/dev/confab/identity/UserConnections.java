package dev.confab.identity;

/**
 * Implemented by the WebSocket transport: closes every open socket of that user on this
 * instance. Identity calls it on logout and never imports transport code.
 */
public interface UserConnections {

	/**
	 * @param userName the user's principal name, {@link ConfabUser#getName()} (the user id)
	 */
	void closeAll(String userName);
}
