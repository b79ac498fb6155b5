package dev.confab.bench.fanout;

import java.util.List;

import dev.confab.bench.Options;
import dev.confab.bench.lab.Side;

/**
 * @param sides        what to measure, the floor first so that ratios have something to compare with
 * @param sizes        message sizes in bytes (a signal's body; the floor's body)
 * @param rates        deliveries per second to try, rising; each step sends rate / 5 messages per second
 * @param rooms        rooms of six (one sender, five receivers) the rate is spread over
 * @param stepSeconds  how long each rate is sent, at least
 * @param minDeliveries deliveries each step measures, at least: a low rate is sent for longer, so
 *                     that its p99 is not one stall in a few hundred samples
 * @param warmupSeconds a first step per side that is not reported (the JIT of servers and driver, connection pools)
 * @param warmupRate   its deliveries per second
 * @param settleSeconds after the Confab instances are ready, before the first side runs
 * @param giveUpMillis a rate whose p99 passes this (or that loses messages) ends the rise for that size
 */
public record FanOutSettings(List<Side> sides, List<Integer> sizes, List<Integer> rates, int rooms, double stepSeconds,
		int minDeliveries, double warmupSeconds, int warmupRate, double settleSeconds, double giveUpMillis) {

	public static FanOutSettings from(Options options) {
		return new FanOutSettings(Side.parse(options.strings("sides", "webstomp,embedded,relay,stomp-relay")),
				options.integers("sizes", "200,1024,6144"), options.integers("rates", "250,500,1000,2000,4000,8000"),
				options.integer("rooms", 20), options.decimal("step-seconds", 3), options.integer("min-deliveries", 5000),
				options.decimal("warmup-seconds", 60),
				options.integer("warmup-rate", 2000), options.decimal("settle-seconds", 5), options.decimal("give-up-ms", 1000));
	}

	/** How long a step at this many deliveries per second is sent. */
	public double secondsAt(int rate) {
		return Math.max(this.stepSeconds, this.minDeliveries / (double) rate);
	}
}
