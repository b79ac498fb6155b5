package dev.confab.chat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

/**
 * Test seam: the chat's fragments of docs/protocol.md ("Chat"), rendered by {@link ChatFragments}
 * from fixed inputs, for the protocol examples check. Participant ids are the document's
 * placeholders ({@code A}, {@code B}); the fragments do not look at their form.
 */
public final class ChatExamples {

	/** When the examples' messages were sent. */
	public static final OffsetDateTime SENT_AT = OffsetDateTime.parse("2026-12-02T03:04:05.678Z");

	private final ChatFragments fragments;

	public ChatExamples(ISpringWebFluxTemplateEngine templates) {
		this.fragments = new ChatFragments(templates);
	}

	/** Message 42 from ada ({@code A}), as everyone in the call gets it. */
	public String appended() {
		return this.fragments.appended(adaSaysSee());
	}

	/** The sender's copy of the same: the message, then the cleared notice, in one {@code html}. */
	public String appendedToSender() {
		return appended() + cleared();
	}

	/** The history of two messages (42 and 43), as a joining or resuming page gets it. */
	public String history() {
		return this.fragments.history(List.of(adaSaysSee(),
				new ChatMessage(43, "B", "bob", "thanks (done)", SENT_AT.plusMinutes(1))));
	}

	/** The notice to a sender over the rate. */
	public String tooFast() {
		return this.fragments.notice(ChatFragments.TOO_FAST);
	}

	/** The empty notice after a message that passed. */
	public String cleared() {
		return this.fragments.notice(null);
	}

	/** Any of the above as the message body the client receives. */
	public static Map<String, Object> message(String fragment) {
		return Map.of("html", fragment);
	}

	private static ChatMessage adaSaysSee() {
		return new ChatMessage(42, "A", "ada", "see https://example.org/x", SENT_AT);
	}
}
