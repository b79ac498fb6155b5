package dev.confab.bench.fanout;

/**
 * Rooms of one sender and five receivers on one side. A send reaches the room's five receivers
 * once each; the group tells the current step's {@link Deliveries} what they got.
 */
interface RoomGroup extends AutoCloseable {

	/** Receivers per send. */
	int RECEIVERS = 5;

	int rooms();

	/** Bodies received from now on count for {@code deliveries}. */
	void measure(Deliveries deliveries);

	/**
	 * Room {@code room}'s sender sends one message of about {@code bytes} bytes, stamped for
	 * {@code deliveries} with the time each of its frames is handed to the socket.
	 */
	void send(int room, Deliveries deliveries, int bytes);

	@Override
	void close();

	/** {@code marker} followed by filler up to {@code bytes} characters, given what wraps it. */
	static String padded(String marker, int bytes, int wrapping) {
		int filler = Math.max(0, bytes - wrapping - marker.length());
		return marker + "x".repeat(filler);
	}
}
