package dev.confab.room;

/**
 * A room: its URL slug, the name people gave it, and whether its calls go through TURN relays
 * only (participants never see each other's IP addresses).
 */
public record Room(String slug, String name, boolean relayOnly) {

	Room withRelayOnly(boolean relayOnly) {
		return new Room(this.slug, this.name, relayOnly);
	}
}
