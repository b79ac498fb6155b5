package dev.confab.limits;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most N events per key in any sliding minute (a session's joins, an address's logins).
 * Thread-safe. Keys idle for a minute are dropped once many are tracked, so a spray of keys
 * cannot grow the map for ever.
 */
public final class PerMinuteLimit {

	private static final long MINUTE_NANOS = 60_000_000_000L;

	private static final int TRACKED_LIMIT = 10_000;

	private final int perMinute;

	private final Map<String, Deque<Long>> events = new ConcurrentHashMap<>();

	public PerMinuteLimit(int perMinute) {
		this.perMinute = perMinute;
	}

	/** @return true when the event may happen now (and it is counted) */
	public boolean tryAcquire(String key) {
		long now = System.nanoTime();
		if (this.events.size() > TRACKED_LIMIT) {
			this.events.values().removeIf(times -> isIdle(times, now));
		}
		Deque<Long> times = this.events.computeIfAbsent(key, k -> new ArrayDeque<>());
		synchronized (times) {
			while (!times.isEmpty() && now - times.peekFirst() > MINUTE_NANOS) {
				times.removeFirst();
			}
			if (times.size() >= this.perMinute) {
				return false;
			}
			times.addLast(now);
			return true;
		}
	}

	/** Drops the key's history, e.g. when its session has ended. */
	public void forget(String key) {
		this.events.remove(key);
	}

	private static boolean isIdle(Deque<Long> times, long now) {
		synchronized (times) {
			return times.isEmpty() || now - times.peekLast() > MINUTE_NANOS;
		}
	}
}
