package dev.confab.bench.report;

import java.util.Arrays;

/** Durations recorded from many threads, in nanoseconds; percentiles by nearest rank. */
public final class Latencies {

	private long[] values = new long[1024];

	private int count;

	public synchronized void add(long nanos) {
		if (this.count == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.count * 2);
		}
		this.values[this.count++] = nanos;
	}

	public synchronized int count() {
		return this.count;
	}

	/** The p-th percentile (0 < p <= 100) in milliseconds; NaN without samples. */
	public double percentileMillis(double p) {
		long[] sorted;
		synchronized (this) {
			sorted = Arrays.copyOf(this.values, this.count);
		}
		if (sorted.length == 0) {
			return Double.NaN;
		}
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
	}

	public double p50() {
		return percentileMillis(50);
	}

	public double p99() {
		return percentileMillis(99);
	}

	public double max() {
		return percentileMillis(100);
	}
}
