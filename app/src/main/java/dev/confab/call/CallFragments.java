package dev.confab.call;

import java.util.Comparator;
import java.util.HashMap;
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

	private final int maxParticipants;

	CallFragments(ISpringWebFluxTemplateEngine templates, CallProperties properties) {
		this.templates = templates;
		this.maxParticipants = properties.maxParticipants();
	}

	/** Video tiles for these participants, appended to the call grid; {@code version}: the roster's, now. */
	String tiles(List<Participant> participants, long version) {
		return render("fragments/tile", "tiles", Map.of("participants", participants, "version", version));
	}

	/** The room's roster, replacing the one on the page when it is newer. */
	String roster(PresenceRepository.CallNow call) {
		return roster(rosterOf(call));
	}

	String roster(Roster roster) {
		return render("fragments/roster", "roster", Map.of("roster", roster));
	}

	/** Who waits to be let in, for the owner's pages; an empty list hides the section. */
	String knocks(List<Knock> knocks) {
		return render("fragments/knocks", "knocks", Map.of("knocks", knocks));
	}

	Roster rosterOf(PresenceRepository.CallNow call) {
		return rosterOf(call.participants(), call.version(), call.state());
	}

	/** Owners marked; hands numbered in the order they went up. */
	Roster rosterOf(List<Participant> participants, long version, RoomState state) {
		Map<String, Integer> hands = handOrder(participants);
		List<RosterEntry> entries = participants.stream()
			.map(p -> new RosterEntry(p.id(), p.screenName(), p.away(), state.isOwner(p.userName()),
					hands.getOrDefault(p.id(), 0)))
			.toList();
		return new Roster(version, entries, state.locked(), state.waitingRoom(), state.capacity(this.maxParticipants));
	}

	int capacity(RoomState state) {
		return state.capacity(this.maxParticipants);
	}

	int maxParticipants() {
		return this.maxParticipants;
	}

	private static Map<String, Integer> handOrder(List<Participant> participants) {
		List<Participant> raised = participants.stream().filter(p -> p.handRaisedAt() != null)
			.sorted(Comparator.comparing(Participant::handRaisedAt).thenComparing(Participant::id))
			.toList();
		Map<String, Integer> order = new HashMap<>();
		for (int i = 0; i < raised.size(); i++) {
			order.put(raised.get(i).id(), i + 1);
		}
		return order;
	}

	private String render(String template, String fragment, Map<String, Object> model) {
		return this.templates.process(template, Set.of(fragment), new Context(Locale.ENGLISH, model)).strip();
	}
}
