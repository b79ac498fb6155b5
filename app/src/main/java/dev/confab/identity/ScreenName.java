package dev.confab.identity;

/**
 * A valid screen name: 2 to 32 letters, digits, spaces, {@code _ - .}, starting with a
 * letter or digit, in one script.
 *
 * @param value the normalized name, as others see it
 * @param key the case-folded, separator-free lookup key
 * @param skeleton the look-alike key ({@link Names#skeleton}): no two users share it either
 */
record ScreenName(String value, String key, String skeleton) {

	static final String FIELD = "screenName";

	static final int MIN_LENGTH = 2;

	static final int MAX_LENGTH = 32;

	private static final Names.Kind KIND = new Names.Kind(FIELD, "screen name");

	/** Normalizes and validates what the user typed. */
	static ScreenName parse(String raw) {
		String name = Names.normalize(raw);
		if (name.isEmpty()) {
			throw KIND.refuse("Enter a screen name.");
		}
		Names.requireVisible(name, KIND);
		Names.requireLength(name, KIND, MIN_LENGTH, MAX_LENGTH);
		int first = name.codePointAt(0);
		if (!Character.isLetter(first) && !Character.isDigit(first)) {
			throw KIND.refuse("A screen name starts with a letter or a digit.");
		}
		Names.requireOnly(name, KIND, ScreenName::isAllowed, "letters, digits, spaces and _ - .");
		Names.requireMarksOnLetters(name, KIND);
		Names.requireOneScript(name, KIND);
		return new ScreenName(name, Names.key(name), Names.skeleton(name));
	}

	private static boolean isAllowed(int cp) {
		return Character.isLetter(cp) || Character.isDigit(cp) || Names.isMark(cp) || cp == ' ' || cp == '_'
				|| cp == '-' || cp == '.';
	}
}
