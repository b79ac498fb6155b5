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

	/** Video tiles for these participants, appended to the call grid; {@code version}: the roster's, now. */
	String tiles(List<Participant> participants, long version) {
		return render("fragments/tile", "tiles", Map.of("participants", participants, "version", version));
	}

	/** The room's roster, replacing the one on the page when it is newer. */
	String roster(List<Participant> participants, long version) {
		return roster(rosterOf(participants, version));
	}

	String roster(Roster roster) {
		return render("fragments/roster", "roster", Map.of("roster", roster));
	}

	static Roster rosterOf(List<Participant> participants, long version) {
		return new Roster(version, participants.stream().map(p -> new RosterEntry(p.id(), p.screenName(), p.away())).toList());
	}

	private String render(String template, String fragment, Map<String, Object> model) {
		return this.templates.process(template, Set.of(fragment), new Context(Locale.ENGLISH, model)).strip();
	}
}
