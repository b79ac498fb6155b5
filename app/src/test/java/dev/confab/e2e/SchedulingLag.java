package dev.confab.e2e;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How starved of CPU this machine is while a test runs: a daemon thread asks to sleep 20 ms again
 * and again and keeps how much later than asked it woke up. A video stall that coincides with a
 * lag of this JVM is the machine's, not the call's; the number goes beside the stalls in the log.
 */
public final class SchedulingLag implements AutoCloseable {

	private static final long NAP_MILLIS = 20;

	private final AtomicLong worstNanos = new AtomicLong();

	private final AtomicLong over250 = new AtomicLong();

	private final Thread thread;

	private volatile boolean running = true;

	private SchedulingLag() {
		this.thread = new Thread(this::run, "confab-scheduling-lag");
		this.thread.setDaemon(true);
	}

	public static SchedulingLag start() {
		SchedulingLag lag = new SchedulingLag();
		lag.thread.start();
		return lag;
	}

	private void run() {
		while (this.running) {
			long before = System.nanoTime();
			try {
				Thread.sleep(NAP_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
			long late = System.nanoTime() - before - NAP_MILLIS * 1_000_000;
			this.worstNanos.accumulateAndGet(late, Math::max);
			if (late > 250_000_000) {
				this.over250.incrementAndGet();
			}
		}
	}

	/** The longest this thread woke up late, in ms. */
	public long worstMillis() {
		return this.worstNanos.get() / 1_000_000;
	}

	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
	}

	@Override
	public String toString() {
		return "this JVM woke up to " + worstMillis() + " ms late (" + this.over250.get() + " times over 250 ms)";
	}

}
