package dev.confab.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The look-alike key of screen names (UTS #39 confusable skeleton, case-folded). */
class ScreenNameSkeletonTests {

	@ParameterizedTest(name = "{0} looks like {1}")
	@CsvSource({
			// The pairs the probe of issue 8 got accepted side by side.
			"орхроеаоа, opxpoeaoa", "ΝΒΧΗΡΜΧΕ, NBXHPMXE", "AIice, Alice", "ɑlice, alice", "Aǀice, Alice",
			// A case variant drawn in look-alike letters; look-alike digits; letters drawn alike in pairs.
			"ОРХРОЕАОА, opxpoeaoa", "b0b, bob", "Mary, rnary", "aIice, alice",
			// Separators still do not count.
			"AI-ice, alice", "Bob Smith, bob_srnith" })
	void lookAlikesShareTheKey(String lookAlike, String original) {
		assertThat(ScreenName.parse(lookAlike).skeleton()).isEqualTo(ScreenName.parse(original).skeleton());
	}

	@ParameterizedTest(name = "{0} and {1}")
	@CsvSource({ "alice, alicia", "bob, rob", "Dan, Don", "Anna, Ana", "Mila, Mia", "Jo, Joe", "Ελένη, Eleni",
			"Дмитрий, Dmitrii", "Taro山田, Taro山本" })
	void distinctNamesKeepDistinctKeys(String one, String other) {
		assertThat(ScreenName.parse(one).skeleton()).isNotEqualTo(ScreenName.parse(other).skeleton());
	}

	@Test
	void caseVariantsAreLeftToTheCaseFoldedKey() {
		// A capital I looks like a small l, so "ALICE" and "alice" look different, but are one name by key().
		ScreenName upper = ScreenName.parse("ALICE");
		ScreenName lower = ScreenName.parse("alice");
		assertThat(upper.skeleton()).isNotEqualTo(lower.skeleton());
		assertThat(upper.key()).isEqualTo(lower.key());
		// Without an I, case variants share this key as well.
		assertThat(ScreenName.parse("BOB").skeleton()).isEqualTo(ScreenName.parse("bob").skeleton());
	}

	@Test
	void theOneKeyChainsLookingAlikeThroughCase() {
		// "Ian" looks like "lan", a case variant of "Lan": the price of one key for both relations.
		assertThat(ScreenName.parse("Ian").skeleton()).isEqualTo(ScreenName.parse("Lan").skeleton());
	}

	@Test
	void theKeyIsStableAcrossNormalization() {
		String skeleton = ScreenName.parse("Émile").skeleton();
		assertThat(ScreenName.parse("E\u0301mile").skeleton()).isEqualTo(skeleton);
		assertThat(ScreenName.parse("\uFF25\u0301mile").skeleton()).isEqualTo(skeleton);
		assertThat(Names.skeleton(ScreenName.parse("Émile").value())).isEqualTo(skeleton);
	}

	@Test
	void theLongestKeysFitTheColumn() {
		// V6 sizes screen_name_skeleton at 512: 32 of the characters that grow most (Hangul syllables, 7 units).
		assertThat(ScreenName.parse("\uAF66".repeat(ScreenName.MAX_LENGTH)).skeleton()).hasSizeLessThanOrEqualTo(512);
		assertThat(ScreenName.parse("\uFDFA").skeleton()).hasSizeLessThanOrEqualTo(512);
	}
}
