package dev.confab.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most N things in flight at once per key, and M in all (requests of one session waiting on
 * the database, of the whole instance). What does not fit is refused at once rather than queued:
 * a queue that grows under overload only turns into latency and memory. Thread-safe; a key's count
 * goes when it reaches zero.
 */
public final class InFlightLimit {

	private final int perKey;

	private final int total;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();

	public InFlightLimit(int perKey, int total) {
		this.perKey = perKey;
		this.total = total;
	}

	/** Why a start was refused. */
	public enum Refusal {
		/** The key has its share in flight already. */
		KEY,
		/** The instance as a whole is full. */
		TOTAL
	}

	/**
	 * Counts one more in flight for the key, unless it or the total is full; every start that
	 * returns null must be followed by one {@link #finish}.
	 * @return null when started, otherwise why not
	 */
	public Refusal tryStart(String key) {
		if (this.inFlight.incrementAndGet() > this.total) {
			this.inFlight.decrementAndGet();
			return Refusal.TOTAL;
		}
		boolean[] started = {false};
		this.byKey.compute(key, (k, count) -> {
			AtomicInteger current = count != null ? count : new AtomicInteger();
			started[0] = current.get() < this.perKey;
			if (started[0]) {
				current.incrementAndGet();
			}
			return current;
		});
		if (!started[0]) {
			this.inFlight.decrementAndGet();
			return Refusal.KEY;
		}
		return null;
	}

	public void finish(String key) {
		this.byKey.computeIfPresent(key, (k, count) -> count.decrementAndGet() == 0 ? null : count);
		this.inFlight.decrementAndGet();
	}

	/** In flight now, over every key. */
	public int inFlight() {
		return this.inFlight.get();
	}
}
