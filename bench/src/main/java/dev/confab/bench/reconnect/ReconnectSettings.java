package dev.confab.bench.reconnect;

import java.util.List;

import dev.confab.bench.Options;

/**
 * @param rooms          calls of six, spread over both relay instances (half of each call on the one that stops)
 * @param stops          how the instance stops, one round each: term (SIGTERM: drain, then exit) or kill (SIGKILL)
 * @param timeoutSeconds how long the moved sessions have to resume after the stop
 */
public record ReconnectSettings(int rooms, List<String> stops, int timeoutSeconds) {

	public static ReconnectSettings from(Options options) {
		List<String> stops = options.strings("stops", "term,kill");
		stops.stream().filter(stop -> !stop.equals("term") && !stop.equals("kill")).findFirst().ifPresent(stop -> {
			throw new IllegalArgumentException("--stops takes term and kill, not '" + stop + "'");
		});
		return new ReconnectSettings(options.integer("rooms", 20), stops, options.integer("timeout-seconds", 60));
	}
}
