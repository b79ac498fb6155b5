package dev.confab.call;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Tells each change of a room's call once it has committed, in the order of the changes: a change
 * holds the room's lock only for the presence change itself, and its messages are rendered and
 * sent after the lock is released. The tell is queued under the lock, so on this instance a room's
 * tells run one after another in the order of the room's versions; across instances the client
 * copes with any order (docs/protocol.md, "Join sequence"). A change that rolls back tells nothing.
 */
@Component
class CallChanges {

	private static final Log logger = LogFactory.getLog(CallChanges.class);

	/** Longer than any transaction runs: past it a tell whose outcome never came is dropped, not the room's queue. */
	private static final Duration OUTCOME_LIMIT = Duration.ofSeconds(30);

	/** Per room, the tells in the order their changes took the room's lock. */
	private final PerKeyQueue tells = new PerKeyQueue("Telling a change of a room's call");

	/**
	 * Within the transaction that changes the room's call, under its lock: {@code tell} runs once the
	 * transaction committed, after the tells of the room's earlier changes on this instance.
	 */
	Mono<Void> afterCommit(String room, Runnable tell) {
		return TransactionSynchronizationManager.forCurrentTransaction().doOnNext(transaction -> {
			Sinks.One<Boolean> committed = Sinks.one();
			this.tells.enqueue(room, committed.asMono()
					.timeout(OUTCOME_LIMIT, Mono.fromSupplier(() -> {
						logger.warn("A change of room " + room + " never completed; its messages are dropped");
						return false;
					}))
					.filter(Boolean::booleanValue)
					.doOnNext(yes -> tell.run())
					.then());
			transaction.registerSynchronization(new TransactionSynchronization() {

				@Override
				public Mono<Void> afterCompletion(int status) {
					return Mono.fromRunnable(() -> committed.tryEmitValue(status == STATUS_COMMITTED));
				}
			});
		}).then();
	}

	/** Rooms with tells queued or running (for tests). */
	int busyRooms() {
		return this.tells.busyKeys();
	}
}
