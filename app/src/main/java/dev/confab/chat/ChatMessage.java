package dev.confab.chat;

import java.time.OffsetDateTime;

/**
 * One stored chat message.
 *
 * @param id            grows with every message of any room; orders a room's messages
 * @param participantId who sent it (a participant id of that room's call)
 * @param screenName    the sender's screen name when it was sent
 * @param body          the cleaned text, as the sender wrote it
 * @param sentAt        when the server took it
 */
record ChatMessage(long id, String participantId, String screenName, String body, OffsetDateTime sentAt) {
}
