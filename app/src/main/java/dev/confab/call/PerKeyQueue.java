package dev.confab.call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import reactor.core.publisher.Mono;

/**
 * Runs the work given for one key one after another, in the order given, each once the one
 * before has finished (whatever its outcome; a failure is logged). A room's tells of its changes
 * ({@link CallChanges}) and a participant's chat history and posts use it: what the database or
 * the commit order would finish in no particular order goes out in the order it was queued.
 */
public final class PerKeyQueue {

	private static final Log logger = LogFactory.getLog(PerKeyQueue.class);

	/** Names the work in the log when it fails. */
	private final String what;

	/** The last work queued per key; gone once it finished with nothing after it. */
	private final Map<String, Mono<Void>> tails = new ConcurrentHashMap<>();

	public PerKeyQueue(String what) {
		this.what = what;
	}

	public void enqueue(String key, Mono<Void> work) {
		Mono<Void> tail = this.tails.compute(key, (k, previous) -> (previous == null ? Mono.<Void>empty() : previous)
				.then(work)
				.onErrorResume(ex -> {
					logger.warn(this.what + " failed: " + ex.getMessage(), ex);
					return Mono.empty();
				})
				// The next work waits for this one's outcome without running it again.
				.cache());
		tail.doFinally(signal -> this.tails.remove(key, tail)).subscribe();
	}

	/** Keys with work queued or running (for tests). */
	public int busyKeys() {
		return this.tails.size();
	}
}
