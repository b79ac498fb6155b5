package dev.confab.stomp;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Frames waiting for one client's socket, bounded in bytes: nothing like Spring's
 * ConcurrentWebSocketSessionDecorator exists on WebFlux, so a client that stops reading
 * would otherwise grow the heap without limit.
 */
final class OutboundBuffer {

	private final Sinks.Many<byte[]> sink = Sinks.many().unicast().onBackpressureBuffer();

	private final long limitBytes;

	private final AtomicLong queuedBytes = new AtomicLong();

	private volatile long lastDrainNanos = System.nanoTime();

	OutboundBuffer(long limitBytes) {
		this.limitBytes = limitBytes;
	}

	/**
	 * Queues one encoded frame. Emits are serialized because broker threads deliver concurrently.
	 * @return whether it was queued, or else why not
	 */
	synchronized Offer offer(byte[] frame) {
		if (this.queuedBytes.get() + frame.length > this.limitBytes) {
			return Offer.FULL;
		}
		if (this.queuedBytes.get() == 0) {
			this.lastDrainNanos = System.nanoTime();
		}
		this.queuedBytes.addAndGet(frame.length);
		return this.sink.tryEmitNext(frame).isSuccess() ? Offer.QUEUED : Offer.CLOSED;
	}

	/** What became of an offered frame. */
	enum Offer {
		QUEUED,
		/** The client does not read fast enough. */
		FULL,
		/** The socket side is done: the session is ending anyway. */
		CLOSED
	}

	synchronized void complete() {
		this.sink.tryEmitComplete();
	}

	/** The frames in order; each one counts as drained when the socket takes it. */
	Flux<byte[]> frames() {
		return this.sink.asFlux().doOnNext(frame -> {
			this.queuedBytes.addAndGet(-frame.length);
			this.lastDrainNanos = System.nanoTime();
		});
	}

	/** True when bytes have waited longer than the given time without the socket taking any. */
	boolean stalledLongerThan(long nanos, long nowNanos) {
		return this.queuedBytes.get() > 0 && nowNanos - this.lastDrainNanos > nanos;
	}
}
