package dev.confab.call;

import java.util.regex.Pattern;

/** The shape of a room slug as it appears in destinations: lower-case words joined by single hyphens. */
public final class RoomSlugs {

	public static final int MAX_LENGTH = 40;

	private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private RoomSlugs() {
	}

	public static boolean isValid(String slug) {
		return slug != null && slug.length() <= MAX_LENGTH && SLUG.matcher(slug).matches();
	}
}
