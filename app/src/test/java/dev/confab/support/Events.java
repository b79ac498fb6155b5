package dev.confab.support;

import tools.jackson.databind.JsonNode;

import dev.confab.support.StompTestClient.Received;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the talk's multiplexed messages (docs/protocol.md), failing when one is not what it should be. */
public final class Events {

	private Events() {
	}

	/** The {@code rtc} event of a message on the personal queue, checked to be of {@code type}. */
	public static JsonNode rtc(Received received, String type) {
		JsonNode rtc = received.body().get("rtc");
		assertThat(rtc).as("an rtc message in %s", received.body()).isNotNull();
		assertThat(rtc.get("type").asString()).as("event type in %s", received.body()).isEqualTo(type);
		assertThat(received.destination()).isEqualTo("/user/queue/events");
		return rtc;
	}

	/** The htmx fragment of an {@code html} message. */
	public static String html(Received received) {
		JsonNode html = received.body().get("html");
		assertThat(html).as("an html message, got %s", received.body()).isNotNull();
		return html.asString();
	}
}
