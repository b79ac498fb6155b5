package dev.confab.chat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.confab.identity.ConfabUser;
import dev.confab.support.CallInbox;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;

import static dev.confab.support.Events.html;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a participant writes arrives as text (docs/protocol.md, "Chat"): markup, htmx
 * attributes, Thymeleaf expressions and {@code javascript:} links, in a new message and in the
 * history alike. Each delivered fragment is parsed by an independent HTML parser ({@link ChatHtml})
 * and must have exactly the documented elements and attributes, with the text as written.
 */
@ConfabServerTest
class ChatEscapingTest extends ChatSupport {

	private static final List<String> HOSTILE = List.of("<img src=x onerror=alert(1)>",
			"<div hx-get=\"/logout\" hx-trigger=\"load\">x</div>", "${T(java.lang.Runtime).getRuntime()}", "[[${7*7}]]",
			"__${7*7}__", "[(${7*7})]", "javascript:alert(1)", "</p></article></div><script>alert(1)</script>",
			"&lt;b&gt; &amp; \"quotes\" 'single'");

	private static final String LINKED = "https://ok.example/a?b=1&c=<x>";

	/** Markup in a screen name too: the login form refuses it, the fragment must not rely on that. */
	private static final String SCREEN_NAME = "<b hx-get=\"/logout\">eve</b>";

	@Test
	void hostileTextArrivesAsTextInNewMessagesAndInTheHistory() throws Exception {
		String room = this.calls.room("chat-escaping");
		try (StompTestClient eveClient = StompTestClient.connect(this.calls.port(),
				this.calls.cookieFor(new ConfabUser(UUID.randomUUID(), SCREEN_NAME)));
				StompTestClient bobClient = this.calls.connect("bob");
				StompTestClient carolClient = this.calls.connect("carol")) {
			CallInbox eve = new CallInbox(eveClient);
			CallInbox bob = new CallInbox(bobClient);
			join(eve, room, 0);
			seesJoin(eve, join(bob, room, 1));
			for (String text : HOSTILE) {
				say(eveClient, text);
				String fragment = html(bob.nextEvent());
				ChatHtml.Message message = ChatHtml.of(fragment).messages().get(0);
				assertThat(message.text()).as(fragment).isEqualTo(text);
				assertThat(message.name()).isEqualTo(SCREEN_NAME);
				assertThat(message.links()).as("no link in %s", fragment).isEmpty();
				assertThat(fragment).doesNotContain("<img", "<div hx-get", "<script", "<b ");
				ownMessage(eve);
			}

			say(eveClient, LINKED);
			String fragment = html(bob.nextEvent());
			ChatHtml.Message linked = ChatHtml.of(fragment).messages().get(0);
			assertThat(linked.text()).isEqualTo(LINKED);
			assertThat(linked.links()).containsExactly(new ChatHtml.Link("https://ok.example/a?b=1&c=", "https://ok.example/a?b=1&c="));
			assertThat(fragment).contains("<p class=\"text\"><a href=\"https://ok.example/a?b=1&amp;c=\" rel=\"noopener noreferrer\""
					+ " target=\"_blank\">https://ok.example/a?b=1&amp;c=</a>&lt;x&gt;</p>");
			ownMessage(eve);

			CallInbox carol = new CallInbox(carolClient);
			join(carol, room, 2);
			List<ChatHtml.Message> history = nextHistory(carol);
			assertThat(texts(history)).containsExactlyElementsOf(
					java.util.stream.Stream.concat(HOSTILE.stream(), java.util.stream.Stream.of(LINKED)).toList());
			assertThat(history).allMatch(m -> m.name().equals(SCREEN_NAME));
			assertThat(history.get(history.size() - 1).links()).hasSize(1);
			assertThat(history.subList(0, HOSTILE.size())).allMatch(m -> m.links().isEmpty());
		}
	}

	@Test
	void theExactEscapesOfMarkupAndExpressions() throws Exception {
		String room = this.calls.room("chat-escapes");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			join(alice, room, 0);
			say(aliceClient, "<img src=x onerror=alert(1)> ${7*7} [[${7*7}]] __${7*7}__ javascript:alert(1)");
			String fragment = html(alice.nextEvent());
			assertThat(fragment).contains("<p class=\"text\">&lt;img src=x onerror=alert(1)&gt; ${7*7} [[${7*7}]] __${7*7}__"
					+ " javascript:alert(1)</p>");
		}
	}
}
