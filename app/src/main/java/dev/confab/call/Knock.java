package dev.confab.call;

/**
 * A session waiting to be let into a room's call (the waiting room).
 *
 * @param id         opaque, random; what the owner's page names it by
 * @param sessionId  the waiting session; never shown to others
 * @param userName   principal name of its user
 * @param screenName what the owner sees
 */
record Knock(String id, String roomSlug, String sessionId, String userName, String screenName) {
}
