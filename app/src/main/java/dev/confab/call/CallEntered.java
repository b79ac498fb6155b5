package dev.confab.call;

/**
 * A participant is in its call now, on this instance: its join was announced, or its resume went
 * through. Published once its own messages (the join sequence, {@code resumed}) are on their way,
 * so what listeners send it comes after them.
 *
 * @param participant who entered
 * @param resumed     true after a resume (the page may have missed what was said while it was away)
 * @param owner       its user owns the room
 */
public record CallEntered(Participant participant, boolean resumed, boolean owner) {
}
