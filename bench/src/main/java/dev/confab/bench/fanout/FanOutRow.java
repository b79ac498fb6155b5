package dev.confab.bench.fanout;

import java.util.List;

import dev.confab.bench.lab.Side;

/**
 * One rate on one side at one size: what was sent, what arrived, how late, the machine's load
 * average at the end (the driver, the servers and whatever else runs share the cores), and the
 * CPU time the Confab JVMs and RabbitMQ spent on the step, in milliseconds per 1,000 deliveries
 * (-1: none there, or not read).
 */
public record FanOutRow(Side side, int bytes, int rate, long expected, long received, double perSecond, double p50,
		double p99, double max, List<String> problems, double load, double confabCpu, double brokerCpu) {

	/** The yardstick for signalling that still feels instant. */
	static final double FAST_P99_MILLIS = 100;

	public long lost() {
		return this.expected - this.received;
	}

	boolean fast() {
		return lost() == 0 && this.p99 < FAST_P99_MILLIS;
	}

	static String size(int bytes) {
		return bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " B";
	}
}
