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

	/** Who the joiner is, and the ICE servers (with its own TURN credential) its peer connections use. */
	static Map<String, Object> connect(Participant self, IceServers.Offer ice) {
		Map<String, Object> event = event("connect");
		event.put("id", self.id());
		event.put("name", self.screenName());
		event.putAll(ice.fields());
		return Map.of("rtc", event);
	}

	/** Fresh ICE servers, asked for before the TURN credential expires. */
	static Map<String, Object> ice(IceServers.Offer ice) {
		Map<String, Object> event = event("ice");
		event.putAll(ice.fields());
		return Map.of("rtc", event);
	}

	static Map<String, Object> others(List<Participant> others) {
		List<Map<String, String>> list = others.stream()
				.map(other -> Map.of("id", other.id(), "name", other.screenName()))
				.toList();
		return rtc("others", "others", list);
	}

	static Map<String, Object> other(Participant newcomer) {
		return rtc("other", "id", newcomer.id(), "name", newcomer.screenName());
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

	private static Map<String, Object> rtc(String type, Object... keyValues) {
		Map<String, Object> event = event(type);
		for (int i = 0; i < keyValues.length; i += 2) {
			event.put((String) keyValues[i], keyValues[i + 1]);
		}
		return Map.of("rtc", event);
	}

	private static Map<String, Object> event(String type) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		return event;
	}
}
