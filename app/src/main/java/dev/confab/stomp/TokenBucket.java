package dev.confab.stomp;

/** A token bucket: {@code capacity} at once, refilled at {@code perSecond}. Not thread-safe by design: one per session. */
final class TokenBucket {

	private final double capacity;

	private final double perNano;

	private double tokens;

	private long last;

	TokenBucket(int capacity, int perSecond, long nowNanos) {
		this.capacity = capacity;
		this.perNano = perSecond / 1e9;
		this.tokens = capacity;
		this.last = nowNanos;
	}

	boolean tryTake(long nowNanos) {
		this.tokens = Math.min(this.capacity, this.tokens + (nowNanos - this.last) * this.perNano);
		this.last = nowNanos;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens -= 1;
		return true;
	}
}
