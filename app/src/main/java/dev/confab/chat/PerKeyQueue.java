package dev.confab.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import reactor.core.publisher.Mono;

/**
 * Runs the work given for one key one after another, in the order given, each once the one
 * before has finished (whatever its outcome). A participant's history and posts each wait for the
 * room's lock on their own, and the database grants it in no particular order: without this, two
 * quick messages could swap, or a page's first message overtake the history it should follow.
 */
final class PerKeyQueue {

	private static final Log logger = LogFactory.getLog(PerKeyQueue.class);

	/** The last work queued per key; gone once it finished with nothing after it. */
	private final Map<String, Mono<Void>> tails = new ConcurrentHashMap<>();

	void enqueue(String key, Mono<Void> work) {
		Mono<Void> tail = this.tails.compute(key, (k, previous) -> (previous == null ? Mono.<Void>empty() : previous)
				.then(work)
				.onErrorResume(ex -> {
					logger.warn("Chat work failed: " + ex.getMessage(), ex);
					return Mono.empty();
				})
				// The next work waits for this one's outcome without running it again.
				.cache());
		tail.doFinally(signal -> this.tails.remove(key, tail)).subscribe();
	}

	/** Keys with work queued or running (for tests). */
	int busyKeys() {
		return this.tails.size();
	}
}
