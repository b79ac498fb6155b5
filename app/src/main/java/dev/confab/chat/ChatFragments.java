package dev.confab.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

/** The chat's pieces of the room page (templates/fragments/chat.html), pushed as htmx out-of-band swaps. */
@Component
class ChatFragments {

	static final String TOO_FAST = "You are sending messages too fast; wait a few seconds.";

	static final String NOT_SENT = "Your message could not be sent; try again.";

	private static final String TEMPLATE = "fragments/chat";

	private final ISpringWebFluxTemplateEngine templates;

	ChatFragments(ISpringWebFluxTemplateEngine templates) {
		this.templates = templates;
	}

	/** A new message, appended to the page's log. */
	String appended(ChatMessage message) {
		return log("beforeend", List.of(message));
	}

	/** The room's history, replacing the page's whole log (after a join or a resume). */
	String history(List<ChatMessage> messages) {
		return log("innerHTML", messages);
	}

	/** The sender's status line: a warning, or empty (null) to clear one. */
	String notice(@Nullable String text) {
		Map<String, Object> model = new HashMap<>();
		model.put("notice", text);
		return render("notice", model);
	}

	private String log(String swap, List<ChatMessage> messages) {
		return render("log", Map.of("swap", swap, "messages", messages.stream().map(ChatEntry::of).toList()));
	}

	private String render(String fragment, Map<String, Object> model) {
		return this.templates.process(TEMPLATE, Set.of(fragment), new Context(Locale.ENGLISH, model)).strip();
	}
}
