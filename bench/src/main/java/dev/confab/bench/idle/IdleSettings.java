package dev.confab.bench.idle;

import java.util.List;

import dev.confab.bench.Options;
import dev.confab.bench.lab.Side;

/**
 * @param modes           Confab modes to measure (embedded, relay)
 * @param sessions        open sessions to reach, rising; each step adds to the ones before
 * @param settleSeconds   wait after each step before reading memory (connections settle, heart-beats run)
 * @param heartbeatMillis what each session asks for in CONNECT (both directions), and then sends
 * @param connectsAtOnce  sessions connecting at the same time
 */
public record IdleSettings(List<Side> modes, List<Integer> sessions, double settleSeconds, long heartbeatMillis,
		int connectsAtOnce) {

	public static IdleSettings from(Options options) {
		List<Side> modes = Side.parse(options.strings("modes", "embedded,relay,stomp-relay"));
		if (modes.contains(Side.WEBSTOMP)) {
			throw new IllegalArgumentException("--modes takes embedded, relay and stomp-relay");
		}
		return new IdleSettings(modes, options.integers("sessions", "150,300,600"), options.decimal("settle-seconds", 5),
				options.integer("heartbeat-ms", 10000), options.integer("connects-at-once", 50));
	}
}
