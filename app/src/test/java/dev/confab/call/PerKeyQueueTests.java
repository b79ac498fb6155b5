package dev.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Work for one key runs one at a time, in order, whatever each outcome; keys apart do not wait for each other. */
class PerKeyQueueTests {

	private final PerKeyQueue queue = new PerKeyQueue("Test work");

	private final List<String> done = new CopyOnWriteArrayList<>();

	@Test
	void workOfOneKeyRunsInTheOrderGivenEvenWhenEarlierWorkIsSlower() {
		this.queue.enqueue("a", step("a1", 300));
		this.queue.enqueue("a", step("a2", 100));
		this.queue.enqueue("a", step("a3", 0));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.done.size() == 3);
		assertThat(this.done).containsExactly("a1", "a2", "a3");
		await().atMost(Duration.ofSeconds(1)).until(() -> this.queue.busyKeys() == 0);
	}

	@Test
	void aFailureDoesNotHoldUpWhatComesAfterIt() {
		this.queue.enqueue("a", Mono.delay(Duration.ofMillis(100)).then(Mono.error(new IllegalStateException("database down"))));
		this.queue.enqueue("a", step("a2", 0));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.done.contains("a2"));
	}

	@Test
	void otherKeysDoNotWait() {
		this.queue.enqueue("a", step("a1", 500));
		this.queue.enqueue("b", step("b1", 0));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.done.size() == 2);
		assertThat(this.done).containsExactly("b1", "a1");
	}

	@Test
	void eachWorkRunsOnce() {
		for (int i = 0; i < 50; i++) {
			this.queue.enqueue("a", step("a" + i, 0));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.queue.busyKeys() == 0);
		assertThat(this.done).hasSize(50).doesNotHaveDuplicates();
	}

	private Mono<Void> step(String name, long millis) {
		return Mono.delay(Duration.ofMillis(millis)).doOnNext(tick -> this.done.add(name)).then();
	}
}
