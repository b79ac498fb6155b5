package dev.confab.room;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

import dev.confab.call.RoomSlugs;

/** Turns what a person typed into a room name and a safe URL slug ("Design Review!" → "design-review"). */
final class RoomNames {

	static final int MAX_NAME_LENGTH = 40;

	private RoomNames() {
	}

	/** @return the room, or empty when nothing usable is left of the input */
	static Optional<Room> fromInput(String input) {
		if (input == null) {
			return Optional.empty();
		}
		String name = Normalizer.normalize(input, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ");
		if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.codePoints().anyMatch(RoomNames::invisible)) {
			return Optional.empty();
		}
		String slug = Normalizer.normalize(name, Normalizer.Form.NFKD)
				.replaceAll("\\p{M}", "")
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^a-z0-9]+", "-")
				.replaceAll("^-|-$", "");
		return RoomSlugs.isValid(slug) ? Optional.of(new Room(slug, name, false)) : Optional.empty();
	}

	private static boolean invisible(int codePoint) {
		int type = Character.getType(codePoint);
		return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.PRIVATE_USE
				|| type == Character.UNASSIGNED;
	}
}
