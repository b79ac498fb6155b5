package dev.confab.cluster;

/** A change of a room's call told by some instance ({@link RoomCallNews}), as it came off the bus. */
public record RoomCallNewsReceived(String payload) {
}
