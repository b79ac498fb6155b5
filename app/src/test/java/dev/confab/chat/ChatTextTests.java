package dev.confab.chat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.confab.chat.ChatText.Segment;

import static org.assertj.core.api.Assertions.assertThat;

/** The linkifier: http(s) URLs with a host become links, everything else stays text. */
class ChatTextTests {

	@Test
	void plainTextIsOneSegment() {
		assertThat(ChatText.segments("hello there")).containsExactly(text("hello there"));
	}

	@Test
	void aUrlInTheMiddleIsALinkBetweenTwoRunsOfText() {
		assertThat(ChatText.segments("see https://example.org/x now")).containsExactly(text("see "),
				link("https://example.org/x"), text(" now"));
	}

	@Test
	void aMessageThatIsOnlyAUrlIsOnlyALink() {
		assertThat(ChatText.segments("http://example.org")).containsExactly(link("http://example.org"));
	}

	@Test
	void theSchemeIsCaseInsensitiveAndKeptAsTyped() {
		assertThat(ChatText.segments("HTTPS://Example.org/A")).containsExactly(link("HTTPS://Example.org/A"));
	}

	@Test
	void queryFragmentPortAndUserInfoArePartOfTheLink() {
		String url = "https://user@example.org:8443/a/b?c=1&d=2#top";
		assertThat(ChatText.segments(url)).containsExactly(link(url));
	}

	@ParameterizedTest
	@ValueSource(strings = {".", ",", ";", ":", "!", "?", "'", "...", "?!", ")."})
	void trailingSentencePunctuationIsText(String punctuation) {
		String suffix = punctuation.startsWith(")") ? punctuation.substring(1) : punctuation;
		String prefix = punctuation.startsWith(")") ? "(" : "";
		assertThat(ChatText.segments(prefix + "https://example.org/x" + punctuation)).containsExactlyElementsOf(
				prefix.isEmpty() ? List.of(link("https://example.org/x"), text(suffix))
						: List.of(text("("), link("https://example.org/x"), text(punctuation)));
	}

	@Test
	void aClosingParenthesisTheUrlOpenedIsPartOfIt() {
		assertThat(ChatText.segments("(https://en.wikipedia.org/wiki/Mesh_(networking))")).containsExactly(text("("),
				link("https://en.wikipedia.org/wiki/Mesh_(networking)"), text(")"));
	}

	@Test
	void severalUrlsAreSeveralLinks() {
		assertThat(ChatText.segments("https://a.example, https://b.example")).containsExactly(link("https://a.example"),
				text(", "), link("https://b.example"));
	}

	@Test
	void markupEndsTheUrlAndStaysText() {
		assertThat(ChatText.segments("https://ok.example/a?b=1&c=<x>")).containsExactly(link("https://ok.example/a?b=1&c="),
				text("<x>"));
		assertThat(ChatText.segments("<a href=\"https://ok.example\">x</a>")).containsExactly(text("<a href=\""),
				link("https://ok.example"), text("\">x</a>"));
	}

	@ParameterizedTest
	@ValueSource(strings = {"javascript:alert(1)", "JavaScript://example.org/%0Aalert(1)", "data:text/html,<b>x</b>",
			"mailto:ada@example.org", "ftp://example.org/file", "http://", "https:///path", "https://:443/x",
			"http//example.org", "www.example.org", "https:// example.org", "https://ex|ample.org",
			"https://exa_mple.org/", "xhttps://example.org", "vbscript:msgbox(1)"})
	void nothingElseIsALink(String text) {
		assertThat(ChatText.segments(text)).containsExactly(text(text));
	}

	@Test
	void aUrlAfterAnotherSchemeIsLinkedOnItsOwn() {
		assertThat(ChatText.segments("javascript:https://example.org")).containsExactly(text("javascript:"),
				link("https://example.org"));
	}

	@Test
	void nonAsciiCharactersArePercentEncodedInTheHrefOnly() {
		assertThat(ChatText.segments("https://example.org/caf\u00e9")).containsExactly(
				new Segment("https://example.org/caf\u00e9", "https://example.org/caf%C3%A9"));
	}

	@Test
	void lineBreaksAndTabsAreText() {
		assertThat(ChatText.segments("a\nhttps://example.org\tb")).containsExactly(text("a\n"),
				link("https://example.org"), text("\tb"));
	}

	private static Segment text(String text) {
		return new Segment(text, null);
	}

	private static Segment link(String url) {
		return new Segment(url, url);
	}
}
