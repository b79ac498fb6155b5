package dev.confab.call;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.confab.ice.IceServers;

/**
 * The bodies the server sends, in the talk's multiplexed format: each key is an app
 * ("html", "remove", "rtc"), handled by the client in key order. See docs/protocol.md.
 */
final class CallMessages {

	private CallMessages() {
	}

	static Map<String, Object> html(String fragment) {
		return Map.of("html", fragment);
	}

	/**
	 * Who the joiner is, its resume secret (only ever sent here, to its own session), and the ICE
	 * servers (with its own TURN credential) its peer connections use.
	 */
	static Map<String, Object> connect(Participant self, String resumeSecret, IceServers.Offer ice) {
		Map<String, Object> event = event("connect");
		event.put("id", self.id());
		event.put("name", self.screenName());
		event.put("secret", resumeSecret);
		event.put("epoch", self.epoch());
		event.putAll(ice.fields());
		return Map.of("rtc", event);
	}

	/**
	 * The resumer is back in its call: who is in it, and with whom its page keeps the peer
	 * connection ({@code live}) or starts a fresh one as the impolite side.
	 */
	static Map<String, Object> resumed(Participant self, List<Participant> others, ResumeRequest request,
			IceServers.Offer ice) {
		Map<String, Object> event = event("resumed");
		event.put("id", self.id());
		event.put("name", self.screenName());
		event.put("epoch", self.epoch());
		event.putAll(ice.fields());
		event.put("others", others.stream().map(other -> {
			Map<String, Object> entry = summary(other);
			entry.put("live", request.isLive(other));
			return entry;
		}).toList());
		return Map.of("rtc", event);
	}

	/** To a participant whose peer connection with the resumer is gone: start a fresh one, politely. */
	static Map<String, Object> renew(Participant resumer) {
		return Map.of("rtc", withType("renew", summary(resumer)));
	}

	/** To a participant whose peer connection with the resumer lives on. */
	static Map<String, Object> back(Participant resumer) {
		return rtc("back", "id", resumer.id(), "epoch", resumer.epoch());
	}

	/** Fresh ICE servers, asked for before the TURN credential expires. */
	static Map<String, Object> ice(IceServers.Offer ice) {
		Map<String, Object> event = event("ice");
		event.putAll(ice.fields());
		return Map.of("rtc", event);
	}

	static Map<String, Object> others(List<Participant> others) {
		return rtc("others", "others", others.stream().map(CallMessages::summary).toList());
	}

	static Map<String, Object> other(Participant newcomer) {
		return Map.of("rtc", withType("other", summary(newcomer)));
	}

	static Map<String, Object> signal(Participant from, SignalRequest signal) {
		Map<String, Object> event = event("signal");
		event.put("from", from.id());
		event.put(signal.isDescription() ? "description" : "candidate", signal.payload());
		return Map.of("rtc", event);
	}

	/** The tile goes first so that the client's handlers never see an event for a tile still on screen. */
	static Map<String, Object> disconnected(Participant leaver) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("remove", "#tile-" + leaver.id());
		message.put("rtc", rtc("disconnected", "id", leaver.id()).get("rtc"));
		return message;
	}

	/** A join that did not happen; the session stays, out of the call. {@code reason}: locked, full, removed or refused. */
	static Map<String, Object> refused(String reason, String message) {
		return rtc("refused", "reason", reason, "message", message);
	}

	/** The join waits in the waiting room until the owner decides. */
	static Map<String, Object> waiting(String message) {
		return rtc("waiting", "message", message);
	}

	/** The owner let the waiting session in: its page sends the join again, which now passes. */
	static Map<String, Object> admitted() {
		return rtc("admitted");
	}

	/** To a participant the owner removed, once its row is gone and the others were told. */
	static Map<String, Object> removed(String message) {
		return rtc("removed", "message", message);
	}

	/** The owner asks this participant's page to turn its microphone off (nobody else can, in a mesh). */
	static Map<String, Object> muteRequest() {
		return rtc("mute-request");
	}

	/** A reaction of {@code from}, by its key (the page draws the emoji). */
	static Map<String, Object> reaction(Participant from, String emoji) {
		return rtc("reaction", "from", from.id(), "emoji", emoji);
	}

	private static Map<String, Object> rtc(String type, Object... keyValues) {
		Map<String, Object> event = event(type);
		for (int i = 0; i < keyValues.length; i += 2) {
			event.put((String) keyValues[i], keyValues[i + 1]);
		}
		return Map.of("rtc", event);
	}

	/** What every participant may know of another: id, screen name, page epoch. */
	private static Map<String, Object> summary(Participant participant) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("id", participant.id());
		entry.put("name", participant.screenName());
		entry.put("epoch", participant.epoch());
		return entry;
	}

	private static Map<String, Object> withType(String type, Map<String, Object> fields) {
		Map<String, Object> event = event(type);
		event.putAll(fields);
		return event;
	}

	private static Map<String, Object> event(String type) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		return event;
	}
}
