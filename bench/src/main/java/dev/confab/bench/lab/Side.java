package dev.confab.bench.lab;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a benchmark measures: Confab in one of its modes, or clients straight on the broker. */
public enum Side {

	WEBSTOMP("RabbitMQ Web-STOMP direct (the floor)"),
	EMBEDDED("Confab embedded, 1 instance"),
	RELAY("Confab relay (AMQP), 2 instances"),
	STOMP_RELAY("Confab STOMP relay (a broker connection per session), 2 instances");

	private final String label;

	Side(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

	/** The option's spelling, also Confab's {@code confab.broker.mode}: {@code webstomp}, {@code embedded}, {@code relay}, {@code stomp-relay}. */
	public String key() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Two Confab instances on RabbitMQ and PostgreSQL. */
	public boolean scaledOut() {
		return this == RELAY || this == STOMP_RELAY;
	}

	/** Parses {@code embedded,relay}; fails naming the choices. */
	public static List<Side> parse(List<String> keys) {
		return keys.stream().map(key -> Arrays.stream(values()).filter(side -> side.key().equals(key.strip())).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown side '" + key + "'; choose from webstomp, embedded, relay, stomp-relay")))
				.toList();
	}
}
