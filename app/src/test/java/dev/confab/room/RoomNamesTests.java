package dev.confab.room;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What people type as a room name, and the link it becomes. */
class RoomNamesTests {

	@Test
	void lettersAndDigitsMakeTheSlugAndTheNameKeepsWhatWasTyped() {
		Room room = RoomNames.fromInput("  Design   Review! ").orElseThrow();
		assertThat(room.name()).isEqualTo("Design Review!");
		assertThat(room.slug()).isEqualTo("design-review");
		assertThat(room.relayOnly()).isFalse();
		assertThat(RoomNames.fromInput("Q3 / Planning -- 2026").orElseThrow().slug()).isEqualTo("q3-planning-2026");
	}

	@Test
	void accentsAndCompatibilityFormsFoldToPlainLetters() {
		assertThat(RoomNames.fromInput("Café Crème").orElseThrow().slug()).isEqualTo("cafe-creme");
		// Full-width letters (as typed with an East Asian input method) are the same room as ASCII ones.
		assertThat(RoomNames.fromInput("\uFF24\uFF45\uFF53\uFF49\uFF47\uFF4E").orElseThrow().slug()).isEqualTo("design");
	}

	@Test
	void namesWithoutALetterOrDigitAreRefused() {
		assertThat(RoomNames.fromInput(null)).isEmpty();
		assertThat(RoomNames.fromInput("")).isEmpty();
		assertThat(RoomNames.fromInput("   ")).isEmpty();
		assertThat(RoomNames.fromInput("!!! ---")).isEmpty();
		assertThat(RoomNames.fromInput("\uD83C\uDF89")).as("an emoji alone").isEmpty();
	}

	@Test
	void fortyCharactersAreTheLimit() {
		assertThat(RoomNames.fromInput("a".repeat(40))).isPresent();
		assertThat(RoomNames.fromInput("a".repeat(41))).isEmpty();
	}

	@Test
	void invisibleCharactersAreRefusedRatherThanHidden() {
		assertThat(RoomNames.fromInput("stand\u200Bup")).as("zero-width space").isEmpty();
		assertThat(RoomNames.fromInput("team\u202Egnp.exe")).as("right-to-left override").isEmpty();
		assertThat(RoomNames.fromInput("a\u0007b")).as("a control character").isEmpty();
	}

	@Test
	void markupIsJustTextAndItsLettersMakeTheSlug() {
		Room room = RoomNames.fromInput("<img src=x onerror=alert(1)>").orElseThrow();
		assertThat(room.name()).isEqualTo("<img src=x onerror=alert(1)>");
		assertThat(room.slug()).isEqualTo("img-src-x-onerror-alert-1");
	}
}
