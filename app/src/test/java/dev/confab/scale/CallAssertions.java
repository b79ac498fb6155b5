package dev.confab.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;

import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The talk's join sequence, signals and leaves as docs/protocol.md writes them, asserted message by
 * message on {@code /user/queue/events} (the same checks as CallSignalingTest, for clients that may
 * sit on any instance).
 */
final class CallAssertions {

	static final Duration QUIET = Duration.ofMillis(700);

	/** Cross-instance hops go through RabbitMQ; still well under a second on a quiet machine. */
	static final Duration HOP = Duration.ofSeconds(10);

	private CallAssertions() {
	}

	/** Joins an empty call: the roster alone, {@code connect}, empty {@code others}. Returns the own id. */
	static String joinAlone(StompTestClient client, String room, String name) throws InterruptedException {
		client.send("/app/room/" + room + "/join", "{}");
		assertThat(html(client.next(HOP))).contains("id=\"roster\"").contains("1 person in the call")
				.doesNotContain("id=\"tiles\"");
		JsonNode connect = rtc(client.next(HOP), "connect");
		assertThat(connect.get("name").asString()).isEqualTo(name);
		assertThat(rtc(client.next(HOP), "others").get("others")).isEmpty();
		return id(connect);
	}

	/**
	 * Joins a call that holds {@code others} (ids, in joining order) named {@code names}: first their
	 * tiles and the roster, then {@code connect}, then {@code others} in joining order.
	 */
	static String joinAfter(StompTestClient client, String room, String name, List<String> others, List<String> names)
			throws InterruptedException {
		return id(joinAfterConnect(client, room, name, others, names));
	}

	/** {@link #joinAfter}, returning the whole {@code connect} event (with the resume secret). */
	static JsonNode joinAfterConnect(StompTestClient client, String room, String name, List<String> others,
			List<String> names) throws InterruptedException {
		client.send("/app/room/" + room + "/join", "{}");
		String tiles = html(client.next(HOP));
		assertThat(tiles).contains("id=\"tiles\"").contains("hx-swap-oob=\"beforeend\"").contains("id=\"roster\"")
				.contains((others.size() + 1) + " people in the call");
		for (int i = 0; i < others.size(); i++) {
			assertThat(tiles).contains("id=\"tile-" + others.get(i) + "\"").contains(">" + names.get(i) + "<");
		}
		JsonNode connect = rtc(client.next(HOP), "connect");
		assertThat(connect.get("name").asString()).isEqualTo(name);
		String id = id(connect);
		assertThat(id).matches("[A-Za-z0-9_-]{22}").isNotIn(others);
		JsonNode listed = rtc(client.next(HOP), "others").get("others");
		List<String> ids = new ArrayList<>();
		List<String> listedNames = new ArrayList<>();
		listed.forEach(other -> {
			ids.add(other.get("id").asString());
			listedNames.add(other.get("name").asString());
		});
		assertThat(ids).as("others, in joining order").containsExactlyElementsOf(others);
		assertThat(listedNames).containsExactlyElementsOf(names);
		return connect;
	}

	/** What everyone already in the call gets when {@code id} joins: its tile, then {@code other}. */
	static void seesNewcomer(StompTestClient client, String id, String name) throws InterruptedException {
		assertThat(html(client.next(HOP))).contains("id=\"tile-" + id + "\"").contains(">" + name + "<");
		JsonNode other = rtc(client.next(HOP), "other");
		assertThat(other.get("id").asString()).isEqualTo(id);
		assertThat(other.get("name").asString()).isEqualTo(name);
	}

	/** The leave of {@code id}: its tile removed and {@code disconnected}, in one message. */
	static void seesLeave(StompTestClient client, String id) throws InterruptedException {
		Received left = client.next(HOP);
		assertThat(left.body().get("remove").asString()).isEqualTo("#tile-" + id);
		assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(id);
	}

	/** A signal from {@code from}: the server stamped the sender. */
	static JsonNode seesSignal(StompTestClient client, String from) throws InterruptedException {
		JsonNode signal = rtc(client.next(HOP), "signal");
		assertThat(signal.get("from").asString()).isEqualTo(from);
		return signal;
	}

	static void nothingElse(StompTestClient... clients) throws InterruptedException {
		for (StompTestClient client : clients) {
			assertThat(client.drain(QUIET)).as("nothing else for this client").isEmpty();
		}
	}

	private static String id(JsonNode rtc) {
		return rtc.get("id").asString();
	}
}
