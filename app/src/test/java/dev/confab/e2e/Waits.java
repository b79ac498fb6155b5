package dev.confab.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline and a failure message that shows the last state seen. */
public final class Waits {

	private static final long POLL_MILLIS = 200;

	private Waits() {
	}

	/**
	 * Polls {@code probe} until {@code ok} holds and returns the satisfying value. A probe that
	 * throws counts as "not yet"; its exception becomes the last state seen. On timeout throws
	 * an {@link AssertionError}: "{@code what}: not reached within {@code timeout}; last seen: ...".
	 */
	public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> ok) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Object lastSeen = "(never sampled)";
		Throwable lastError = null;
		while (true) {
			try {
				T value = probe.get();
				if (ok.test(value)) {
					return value;
				}
				lastSeen = value;
				lastError = null;
			}
			catch (RuntimeException | AssertionError ex) {
				lastSeen = "error: " + Browser.firstLine(ex);
				lastError = ex;
			}
			if (System.nanoTime() > deadline) {
				AssertionError failure = new AssertionError(
						what + ": not reached within " + timeout.toSeconds() + " s; last seen: " + lastSeen);
				if (lastError != null) {
					failure.initCause(lastError);
				}
				throw failure;
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(what + ": interrupted while waiting", ex);
			}
		}
	}

}
