package dev.confab.room;

/** A lobby line: a room and how many people are in its call. */
public record RoomSummary(String slug, String name, long participants, boolean relayOnly) {
}
