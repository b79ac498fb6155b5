package dev.confab.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class NamesTests {

	@Test
	void normalizesWidthSpacesAndCase() {
		ScreenName name = ScreenName.parse("  \uFF21lice\u00A0\u3000 the\tGreat  ");
		assertThat(name.value()).isEqualTo("Alice the Great");
		assertThat(name.key()).isEqualTo("alicethegreat");
	}

	@Test
	void keyIgnoresCaseSeparatorsAndFoldsSharpS() {
		assertThat(ScreenName.parse("Bob_Smith").key()).isEqualTo(ScreenName.parse("bob.smith").key())
			.isEqualTo(ScreenName.parse("BOB SMITH").key());
		assertThat(RealName.parse("Anne-Marie Strauß").key()).isEqualTo(RealName.parse("anne marie STRAUSS").key());
		assertThat(RealName.parse("O\u2019Brien").key()).isEqualTo(RealName.parse("o'brien").key());
	}

	@Test
	void acceptsNamesInOtherScripts() {
		assertThat(ScreenName.parse("Ελένη").value()).isEqualTo("Ελένη");
		assertThat(ScreenName.parse("Дмитрий_2").value()).isEqualTo("Дмитрий_2");
		assertThat(ScreenName.parse("山田たろう").value()).isEqualTo("山田たろう");
		assertThat(RealName.parse("Nguyễn Thị Minh Khai").key()).isEqualTo("nguyễnthịminhkhai");
		assertThat(RealName.parse("देवनागरी नाम").key()).isNotEmpty();
		assertThat(ScreenName.parse("42 Wallaby").value()).isEqualTo("42 Wallaby");
	}

	@Test
	void screenNameLengthIsTwoToThirtyTwoCharacters() {
		assertThat(ScreenName.parse("ab").value()).isEqualTo("ab");
		assertThat(ScreenName.parse("a".repeat(32)).value()).hasSize(32);
		assertRefused(() -> ScreenName.parse("a"), "2 to 32");
		assertRefused(() -> ScreenName.parse("a".repeat(33)), "2 to 32");
		// Counted in code points, so astral letters are not penalised.
		assertThat(ScreenName.parse("\uD840\uDC0B".repeat(32)).value()).hasSize(64);
	}

	@Test
	void realNameLengthIsTwoToSixtyFourCharacters() {
		assertThat(RealName.parse("Al").key()).isEqualTo("al");
		assertThat(RealName.parse("a".repeat(64)).key()).hasSize(64);
		assertRefused(() -> RealName.parse("J"), "2 to 64");
		assertRefused(() -> RealName.parse("a".repeat(65)), "2 to 64");
	}

	@Test
	void emptyOrBlankIsRefused() {
		assertRefused(() -> ScreenName.parse(null), "Enter a screen name");
		assertRefused(() -> ScreenName.parse(" \t "), "Enter a screen name");
		assertRefused(() -> RealName.parse(""), "Enter your real name");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ali\u200Bce", "bob\u202Eevil", "ca\u00ADrol", "dave\u0007", "eve\uE000", "fr\u2060ed",
			"gus\u3164", "hal\uFFA0", "ivy\u2800", "jo\uFE0Fe", "ka\u034Fte", "\u2028li" })
	void invisibleAndControlCharactersAreRefused(String raw) {
		assertRefused(() -> ScreenName.parse(raw), "invisible or control character");
		assertRefused(() -> RealName.parse(raw), "invisible or control character");
	}

	@ParameterizedTest
	@ValueSource(strings = { "pаypal", "аdmin", "Alicе", "Bοb" })
	void latinMixedWithCyrillicOrGreekIsRefused(String lookAlike) {
		assertRefused(() -> ScreenName.parse(lookAlike), "Use one alphabet");
		assertRefused(() -> RealName.parse(lookAlike), "Use one alphabet");
	}

	@Test
	void lookAlikeMessageNamesTheScripts() {
		assertRefused(() -> ScreenName.parse("pаypal"), "mixes Cyrillic and Latin letters");
		assertRefused(() -> ScreenName.parse("ΩΔ_Ж"), "mixes Cyrillic and Greek letters");
	}

	@Test
	void japaneseKoreanAndChineseMixesWithLatinAreAllowed() {
		assertThat(ScreenName.parse("Taro山田たろうカタカナ").value()).isNotEmpty();
		assertThat(ScreenName.parse("Kim김민수金").value()).isNotEmpty();
		assertThat(ScreenName.parse("Lin林ㄅㄆ").value()).isNotEmpty();
	}

	@Test
	void screenNameCharactersAndStart() {
		assertThat(ScreenName.parse("a_b-c.d 9").value()).isEqualTo("a_b-c.d 9");
		assertRefused(() -> ScreenName.parse("_alice"), "starts with a letter or a digit");
		assertRefused(() -> ScreenName.parse(".alice"), "starts with a letter or a digit");
		assertRefused(() -> ScreenName.parse("alice!"), "not “!”");
		assertRefused(() -> ScreenName.parse("<script>"), "starts with a letter or a digit");
		assertRefused(() -> ScreenName.parse("al<b>"), "not “<”");
		assertRefused(() -> ScreenName.parse("o'neil"), "not “'”");
		assertRefused(() -> ScreenName.parse("bob😀"), "not “😀”");
	}

	@Test
	void realNameCharacters() {
		assertThat(RealName.parse("Jean-Luc O'Neil Jr.").key()).isEqualTo("jeanluconeiljr");
		assertRefused(() -> RealName.parse("Agent 007"), "not “0”");
		assertRefused(() -> RealName.parse("a_b"), "not “_”");
		assertRefused(() -> RealName.parse("'-.'"), "needs letters");
	}

	@Test
	void marksMustSitOnLettersAndNotPileUp() {
		assertThat(ScreenName.parse("e\u0301clair").value()).isEqualTo("éclair");
		assertRefused(() -> ScreenName.parse("ab \u0301c"), "not on a letter");
		assertRefused(() -> ScreenName.parse("z\u0300\u0301\u0302\u0303\u0304\u0305go"), "not on a letter");
	}

	@Test
	void refusalSaysWhichField() {
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> ScreenName.parse("x"))
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("screenName"));
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> RealName.parse("x"))
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("realName"));
	}

	private static void assertRefused(Runnable parse, String messagePart) {
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(parse::run)
			.withMessageContaining(messagePart);
	}
}
