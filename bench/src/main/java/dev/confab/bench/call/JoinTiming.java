package dev.confab.bench.call;

import java.util.concurrent.CompletableFuture;

/** One join's clock: the SEND, the server's {@code others}, and the last answer and end of candidates. */
public final class JoinTiming {

	private final long sentAt;

	private volatile long othersAt;

	private volatile long negotiatedAt;

	private final CompletableFuture<JoinTiming> done = new CompletableFuture<>();

	JoinTiming(long sentAt) {
		this.sentAt = sentAt;
	}

	void othersCame(boolean alone) {
		this.othersAt = System.nanoTime();
		if (alone) {
			negotiated();
		}
	}

	void negotiated() {
		this.negotiatedAt = System.nanoTime();
		this.done.complete(this);
	}

	CompletableFuture<JoinTiming> done() {
		return this.done;
	}

	public long sentAt() {
		return this.sentAt;
	}

	public long negotiatedAt() {
		return this.negotiatedAt;
	}

	/** The server's join sequence: SEND join to {@code others}. */
	public long toOthersNanos() {
		return this.othersAt - this.sentAt;
	}

	/** The whole join: SEND join until every earlier participant answered and ended its candidates. */
	public long toNegotiatedNanos() {
		return this.negotiatedAt - this.sentAt;
	}
}
