package dev.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.AbstractReactiveTransactionManager;
import org.springframework.transaction.reactive.GenericReactiveTransaction;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A change's messages go out after its transaction, so the room's lock covers the presence change
 * only: never before the commit, never for a rollback, and in the order of the room's changes.
 */
class CallChangesTest {

	private final CallChanges changes = new CallChanges();

	private final TransactionalOperator transaction = TransactionalOperator.create(new NoDatabase());

	private final List<String> told = new CopyOnWriteArrayList<>();

	@Test
	void aChangeIsToldOnlyOnceItsTransactionCommitted() {
		Mono<Void> change = this.changes.afterCommit("room", () -> this.told.add("joined"))
			.then(Mono.fromRunnable(() -> assertThat(this.told).as("before the commit").isEmpty()));

		this.transaction.transactional(change).block(Duration.ofSeconds(5));

		assertThat(this.told).containsExactly("joined");
		assertThat(this.changes.busyRooms()).isZero();
	}

	@Test
	void aChangeThatRollsBackTellsNothingAndTheRoomGoesOn() {
		Mono<Void> failing = this.changes.afterCommit("room", () -> this.told.add("never"))
			.then(Mono.error(new IllegalStateException("deadlock")));
		assertThatThrownBy(() -> this.transaction.transactional(failing).block(Duration.ofSeconds(5)))
			.hasMessageContaining("deadlock");

		this.transaction.transactional(this.changes.afterCommit("room", () -> this.told.add("next"))).block(Duration.ofSeconds(5));

		assertThat(this.told).containsExactly("next");
	}

	@Test
	void aRoomsChangesAreToldInTheirOrderEvenWhenALaterOneCommitsFirstAndOtherRoomsDoNotWait() {
		Sinks.Empty<Void> firstMayCommit = Sinks.empty();
		this.transaction.transactional(this.changes.afterCommit("room", () -> this.told.add("first"))
				.then(firstMayCommit.asMono()))
			.subscribe();

		this.transaction.transactional(this.changes.afterCommit("room", () -> this.told.add("second"))).block(Duration.ofSeconds(5));
		this.transaction.transactional(this.changes.afterCommit("other room", () -> this.told.add("elsewhere")))
			.block(Duration.ofSeconds(5));
		assertThat(this.told).as("the second waits for the first; the other room does not").containsExactly("elsewhere");

		firstMayCommit.tryEmitEmpty();

		assertThat(this.told).containsExactly("elsewhere", "first", "second");
	}

	@Test
	void aTellThatFailsDoesNotStopTheRoom() {
		this.transaction.transactional(this.changes.afterCommit("room", () -> {
			throw new IllegalStateException("render failed");
		})).block(Duration.ofSeconds(5));
		this.transaction.transactional(this.changes.afterCommit("room", () -> this.told.add("next"))).block(Duration.ofSeconds(5));

		assertThat(this.told).containsExactly("next");
	}

	/** Transactions with synchronizations and nothing behind them. */
	private static final class NoDatabase extends AbstractReactiveTransactionManager {

		@Override
		protected Object doGetTransaction(TransactionSynchronizationManager synchronizations) {
			return new Object();
		}

		@Override
		protected Mono<Void> doBegin(TransactionSynchronizationManager synchronizations, Object transaction,
				TransactionDefinition definition) {
			return Mono.empty();
		}

		@Override
		protected Mono<Void> doCommit(TransactionSynchronizationManager synchronizations, GenericReactiveTransaction status) {
			return Mono.empty();
		}

		@Override
		protected Mono<Void> doRollback(TransactionSynchronizationManager synchronizations, GenericReactiveTransaction status) {
			return Mono.empty();
		}
	}
}
