package dev.confab.session;

/**
 * Client SEND destinations whose handlers neither block nor wait before they return (they work from
 * memory and hand what they send to the broker). The transport may handle such a frame on the
 * socket's I/O thread, when none of the session's earlier frames is still waiting, instead of on a
 * pool thread: one thread hand-off less on the way of every such frame.
 */
public interface NonBlockingDestinations {

	/** @param destination a SEND frame's destination, as the client wrote it ({@code /app/...}) */
	boolean neverBlocks(String destination);
}
