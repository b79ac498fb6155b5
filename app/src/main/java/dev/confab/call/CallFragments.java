package dev.confab.call;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

/** Server-rendered pieces of the call page, pushed to clients as htmx out-of-band swaps. */
@Component
class CallFragments {

	private final ISpringWebFluxTemplateEngine templates;

	CallFragments(ISpringWebFluxTemplateEngine templates) {
		this.templates = templates;
	}

	/** Video tiles for these participants, appended to the call grid. */
	String tiles(List<Participant> participants) {
		return render("fragments/tile", "tiles", Map.of("participants", participants));
	}

	/** The room's roster, replacing the one on the page. */
	String roster(List<Participant> participants) {
		return render("fragments/roster", "roster", Map.of("roster", rosterOf(participants)));
	}

	static List<RosterEntry> rosterOf(List<Participant> participants) {
		return participants.stream().map(p -> new RosterEntry(p.id(), p.screenName())).toList();
	}

	private String render(String template, String fragment, Map<String, Object> model) {
		return this.templates.process(template, Set.of(fragment), new Context(Locale.ENGLISH, model)).strip();
	}
}
