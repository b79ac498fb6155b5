package dev.confab.call;

/**
 * What the room page shows of one participant of the call.
 *
 * @param owner true for the participants of the owning user
 * @param hand  0 while the hand is down, else its place in the order hands went up (1 = first)
 */
public record RosterEntry(String id, String name, boolean away, boolean owner, int hand) {
}
