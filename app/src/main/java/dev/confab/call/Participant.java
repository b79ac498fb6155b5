package dev.confab.call;

/**
 * One session in one room's call.
 *
 * @param id         opaque, random, shown to the other participants
 * @param roomSlug   the room
 * @param sessionId  the transport session; never shown to other participants
 * @param userName   principal name of the user (its id), for user destinations
 * @param screenName what others see
 */
public record Participant(String id, String roomSlug, String sessionId, String userName, String screenName) {
}
