package dev.confab.room;

/** A lobby line: a room, how many people are in its call, and whether its owner locked it. */
public record RoomSummary(String slug, String name, long participants, boolean relayOnly, boolean locked) {
}
