package dev.confab.bench.fanout;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.confab.bench.report.Latencies;

/**
 * What the receivers of one step got: each body carries {@code bench:<step>:<nanoTime at send>:},
 * and only bodies of this step count (late ones of an earlier step are dropped).
 */
final class Deliveries {

	private static final String MARK = "bench:";

	private final int step;

	private final Latencies latencies = new Latencies();

	private final AtomicLong received = new AtomicLong();

	private final long startedAt = System.nanoTime();

	private final Queue<String> problems = new ConcurrentLinkedQueue<>();

	private volatile long lastAt;

	Deliveries(int step) {
		this.step = step;
	}

	/** The start of a body that this step's receivers recognise. */
	String marker(long sentAtNanos) {
		return MARK + this.step + ":" + sentAtNanos + ":";
	}

	/** Counts a received body (its latency, if it belongs to this step). */
	void record(String body) {
		long now = System.nanoTime();
		int at = body.indexOf(MARK);
		if (at < 0) {
			return;
		}
		int stepEnd = body.indexOf(':', at + MARK.length());
		int timeEnd = body.indexOf(':', stepEnd + 1);
		if (stepEnd < 0 || timeEnd < 0 || Integer.parseInt(body, at + MARK.length(), stepEnd, 10) != this.step) {
			return;
		}
		this.latencies.add(now - Long.parseLong(body, stepEnd + 1, timeEnd, 10));
		this.received.incrementAndGet();
		this.lastAt = now;
	}

	/** An ERROR or a dropped socket during the step. */
	void problem(String what) {
		this.problems.add(what);
	}

	List<String> problems() {
		return List.copyOf(this.problems);
	}

	long received() {
		return this.received.get();
	}

	Latencies latencies() {
		return this.latencies;
	}

	/** Deliveries per second from the step's start to its last delivery. */
	double perSecond() {
		long span = this.lastAt - this.startedAt;
		return span <= 0 ? 0 : this.received.get() / (span / 1e9);
	}
}
