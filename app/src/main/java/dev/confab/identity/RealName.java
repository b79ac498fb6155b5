package dev.confab.identity;

/**
 * A valid real name: 2 to 64 letters, spaces, {@code ' - .}, with at least one letter,
 * in one script. Only its key is ever stored: Confab shows screen names, never real names.
 *
 * @param key the case-folded, separator-free lookup key
 */
record RealName(String key) {

	static final String FIELD = "realName";

	static final int MIN_LENGTH = 2;

	static final int MAX_LENGTH = 64;

	private static final Names.Kind KIND = new Names.Kind(FIELD, "real name");

	/** Normalizes and validates what the user typed. */
	static RealName parse(String raw) {
		String name = Names.normalize(raw);
		if (name.isEmpty()) {
			throw KIND.refuse("Enter your real name.");
		}
		Names.requireVisible(name, KIND);
		Names.requireLength(name, KIND, MIN_LENGTH, MAX_LENGTH);
		Names.requireOnly(name, KIND, RealName::isAllowed, "letters, spaces and ' - .");
		if (name.codePoints().noneMatch(Character::isLetter)) {
			throw KIND.refuse("A real name needs letters.");
		}
		Names.requireMarksOnLetters(name, KIND);
		Names.requireOneScript(name, KIND);
		return new RealName(Names.key(name));
	}

	private static boolean isAllowed(int cp) {
		return Character.isLetter(cp) || Names.isMark(cp) || cp == ' ' || cp == '\'' || cp == '-' || cp == '.';
	}
}
