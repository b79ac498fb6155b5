package dev.confab.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ContinuePathsTests {

	@Test
	void localPathsAreKept() {
		assertThat(ContinuePaths.sanitize("/")).isEqualTo("/");
		assertThat(ContinuePaths.sanitize("/rooms/standup")).isEqualTo("/rooms/standup");
		assertThat(ContinuePaths.sanitize("/rooms/a%20b?x=1&y=%2F")).isEqualTo("/rooms/a%20b?x=1&y=%2F");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "//evil.example", "//evil.example/path", "https://evil.example", "http:/evil.example",
			"javascript:alert(1)", "/\\evil.example", "/\\/evil.example", "\\\\evil.example", "rooms/standup",
			"/rooms /x", "/rooms\t/x", "/\r\nSet-Cookie:x=y", "/{x}", " /rooms", "/%", "///evil.example" })
	void everythingElseGoesHome(String candidate) {
		assertThat(ContinuePaths.sanitize(candidate)).isEqualTo("/");
	}

	@Test
	void overlongPathsGoHome() {
		assertThat(ContinuePaths.sanitize("/" + "a".repeat(3000))).isEqualTo("/");
	}
}
