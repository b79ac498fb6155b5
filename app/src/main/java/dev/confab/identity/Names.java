package dev.confab.identity;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.SpoofChecker;

/**
 * What screen names and real names have in common: normalization (NFKC, one kind of
 * space, trimmed), the character checks, the look-alike checks and the lookup keys.
 */
final class Names {

	/** More combining marks in a row than any real script needs: stacked-diacritics noise. */
	private static final int MAX_MARKS_IN_A_ROW = 4;

	/**
	 * Script mixes allowed in one name, after Unicode's "highly restrictive" profile (UTS #39):
	 * Japanese, Chinese and Korean writing mix scripts, each may appear with Latin. Any other
	 * mix (Latin with Cyrillic or Greek above all) is how look-alike names are made.
	 */
	private static final Set<Set<UnicodeScript>> ALLOWED_MIXES = Set.of(
			EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
			EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO),
			EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL));

	/** Unicode's confusables data (UTS #39); its skeletons are safe to compute from any thread. */
	private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().build();

	private Names() {
	}

	/**
	 * NFKC, typographic apostrophes and hyphens made ASCII, every run of spaces, tabs or
	 * line breaks made one space, trimmed. {@code null} becomes the empty string.
	 */
	static String normalize(String raw) {
		if (raw == null) {
			return "";
		}
		String nfkc = Normalizer.normalize(raw, Normalizer.Form.NFKC);
		StringBuilder out = new StringBuilder(nfkc.length());
		boolean pendingSpace = false;
		for (int i = 0; i < nfkc.length();) {
			int cp = nfkc.codePointAt(i);
			i += Character.charCount(cp);
			if (isSpace(cp)) {
				pendingSpace = out.length() > 0;
				continue;
			}
			if (pendingSpace) {
				out.append(' ');
				pendingSpace = false;
			}
			out.appendCodePoint(asciiPunctuation(cp));
		}
		return out.toString();
	}

	/**
	 * The uniqueness key of a normalized name: case-folded (upper then lower case, so
	 * "ß" and "SS", "ς" and "Σ" meet) and without separators, so "Anne-Marie" and
	 * "anne marie", or "bob.smith" and "Bob Smith", are one name.
	 */
	static String key(String normalized) {
		String folded = normalized.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
		folded = Normalizer.normalize(folded, Normalizer.Form.NFKC);
		StringBuilder key = new StringBuilder(folded.length());
		folded.codePoints().filter(cp -> !isSeparator(cp)).forEach(key::appendCodePoint);
		return key.toString();
	}

	/**
	 * The look-alike key of a normalized name: its confusable skeleton (UTS #39), case-folded,
	 * then the skeleton of that, without separators. Names drawn alike share it: "AIice" (capital
	 * I) and "Alice", Cyrillic "орхроеаоа" and Latin "opxpoeaoa", and case variants in look-alike
	 * letters (Cyrillic "ОРХРОЕАОА" and "opxpoeaoa"). The skeleton comes before the folding,
	 * which would turn that capital I into an i, unlike an l. It adds to {@link #key}, which still
	 * decides case variants: "ALICE" and "alice" differ here (that I looks like an l). One key for
	 * both relations chains them, so "Ian" (looks like "lan") and "Lan" share it too.
	 */
	static String skeleton(String normalized) {
		String folded = UCharacter.foldCase(CONFUSABLES.getSkeleton(normalized), UCharacter.FOLD_CASE_DEFAULT);
		StringBuilder key = new StringBuilder(folded.length());
		CONFUSABLES.getSkeleton(folded).codePoints().filter(cp -> !isSeparator(cp)).forEach(key::appendCodePoint);
		return key.toString();
	}

	/** Spaces and the punctuation names may contain: not part of a name's key. */
	static boolean isSeparator(int cp) {
		return cp == ' ' || cp == '_' || cp == '-' || cp == '.' || cp == '\'';
	}

	/** Which name a check is about: its form field, and how messages call it. */
	record Kind(String field, String noun) {

		InvalidNameException refuse(String message) {
			return new InvalidNameException(field, message);
		}
	}

	/** Refuses control, format (zero-width, bidi), private-use, unassigned and blank-looking characters. */
	static void requireVisible(String name, Kind kind) {
		name.codePoints().filter(Names::isInvisible).findFirst().ifPresent(cp -> {
			throw kind.refuse("The " + kind.noun() + " contains an invisible or control character ("
					+ String.format("U+%04X", cp) + "). Remove it and type the name again.");
		});
	}

	/** Length in code points, so letters outside the Basic Multilingual Plane count once. */
	static void requireLength(String name, Kind kind, int min, int max) {
		int length = name.codePointCount(0, name.length());
		if (length < min || length > max) {
			throw kind.refuse("A " + kind.noun() + " has " + min + " to " + max + " characters; this one has "
					+ length + ".");
		}
	}

	/** Refuses the first character {@code allowed} does not accept, showing it back. */
	static void requireOnly(String name, Kind kind, IntPredicate allowed, String description) {
		name.codePoints().filter(allowed.negate()).findFirst().ifPresent(cp -> {
			throw kind.refuse("A " + kind.noun() + " can use " + description + " only, not " + show(cp) + ".");
		});
	}

	/** Refuses combining marks that do not follow a letter, and long stacks of them. */
	static void requireMarksOnLetters(String name, Kind kind) {
		int inARow = 0;
		int previous = -1;
		for (int i = 0; i < name.length();) {
			int cp = name.codePointAt(i);
			i += Character.charCount(cp);
			if (isMark(cp)) {
				inARow++;
				boolean onLetter = previous >= 0 && (Character.isLetter(previous) || isMark(previous));
				if (!onLetter || inARow > MAX_MARKS_IN_A_ROW) {
					throw kind.refuse("The " + kind.noun() + " has accents or marks that are not on a letter.");
				}
			}
			else {
				inARow = 0;
			}
			previous = cp;
		}
	}

	/** Refuses names that mix scripts outside {@link #ALLOWED_MIXES}. */
	static void requireOneScript(String name, Kind kind) {
		Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
		name.codePoints().mapToObj(UnicodeScript::of)
			.filter(s -> s != UnicodeScript.COMMON && s != UnicodeScript.INHERITED && s != UnicodeScript.UNKNOWN)
			.forEach(scripts::add);
		if (scripts.size() <= 1 || ALLOWED_MIXES.stream().anyMatch(mix -> mix.containsAll(scripts))) {
			return;
		}
		Set<String> names = new TreeSet<>();
		scripts.forEach(s -> names.add(displayName(s)));
		throw kind.refuse("The " + kind.noun() + " mixes " + String.join(" and ", names)
				+ " letters, which can make it look like someone else's. Use one alphabet.");
	}

	static boolean isMark(int cp) {
		int type = Character.getType(cp);
		return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
				|| type == Character.ENCLOSING_MARK;
	}

	/** How a refused character is shown back: quoted when visible, as U+XXXX otherwise. */
	private static String show(int cp) {
		return (Character.isISOControl(cp) || isInvisible(cp) || isSpace(cp)) ? String.format("U+%04X", cp)
				: "“" + new String(Character.toChars(cp)) + "”";
	}

	private static boolean isSpace(int cp) {
		return cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
	}

	private static int asciiPunctuation(int cp) {
		return switch (cp) {
			case '\u2018', '\u2019', '\u02BC' -> '\'';
			case '\u2010', '\u2011' -> '-';
			default -> cp;
		};
	}

	private static boolean isInvisible(int cp) {
		return switch (Character.getType(cp)) {
			case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
					Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
			default -> isBlankLooking(cp);
		};
	}

	/** Letters and marks that draw nothing (Hangul fillers, braille blank, selectors...). */
	private static boolean isBlankLooking(int cp) {
		return cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800 || cp == 0x034F
				|| cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0xFE00 && cp <= 0xFE0F)
				|| (cp >= 0xE0100 && cp <= 0xE01EF);
	}

	private static String displayName(UnicodeScript script) {
		String name = script.name().replace('_', ' ').toLowerCase(Locale.ROOT);
		return Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}
}
