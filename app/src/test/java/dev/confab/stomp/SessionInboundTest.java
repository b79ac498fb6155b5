package dev.confab.stomp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;

import dev.confab.session.NonBlockingDestinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One session's frames: handled in the order sent, a burst by one task, a failing frame not stopping
 * the rest, a SEND that never blocks where it arrived unless frames wait before it.
 */
class SessionInboundTest {

	private static final NonBlockingDestinations NONE = destination -> false;

	private static final NonBlockingDestinations SIGNALS = "/app/signal"::equals;

	private final ExecutorService pool = Executors.newFixedThreadPool(4);

	private final AtomicInteger tasks = new AtomicInteger();

	/** Counts the tasks handed to the pool, and runs them there. */
	private final Executor counting = task -> {
		this.tasks.incrementAndGet();
		this.pool.execute(task);
	};

	@AfterEach
	void stopPool() {
		this.pool.shutdownNow();
	}

	@Test
	void framesAreHandledInTheOrderSentWhateverThreadTakesThem() {
		List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
		SessionInbound inbound = new SessionInbound(recording(handled), this.pool, NONE);

		for (int i = 0; i < 5_000; i++) {
			inbound.send(frame(i));
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5_000);
		assertThat(handled).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void aBurstWaitingForItsThreadIsHandledByOneTask() throws InterruptedException {
		BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
		Gate gate = new Gate();
		SessionInbound inbound = heldAtFirstFrame(handled, gate, NONE);

		inbound.send(frame(0));
		gate.awaitHeld();
		for (int i = 1; i <= 5; i++) {
			inbound.send(frame(i));
		}
		gate.open();

		await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 6);
		assertThat(handled).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(this.tasks).hasValue(1);
	}

	@Test
	void aLongBurstYieldsItsThreadBetweenTurns() throws InterruptedException {
		BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
		Gate gate = new Gate();
		SessionInbound inbound = heldAtFirstFrame(handled, gate, NONE);
		int frames = 3 * SessionInbound.FRAMES_PER_TURN;

		inbound.send(frame(0));
		gate.awaitHeld();
		for (int i = 1; i < frames; i++) {
			inbound.send(frame(i));
		}
		gate.open();

		await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == frames);
		assertThat(this.tasks).hasValue(3);
	}

	@Test
	void aFrameWhoseHandlerFailsDoesNotStopTheSessionsLaterFrames() {
		List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
		SessionInbound inbound = new SessionInbound((message, timeout) -> {
			if ((Integer) message.getPayload() == 1) {
				throw new IllegalStateException("handler failed");
			}
			handled.add((Integer) message.getPayload());
			return true;
		}, this.pool, NONE);

		for (int i = 0; i < 4; i++) {
			inbound.send(frame(i));
		}

		await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 3);
		assertThat(handled).containsExactly(0, 2, 3);
	}

	@Test
	void aSendThatNeverBlocksIsHandledOnTheSendingThreadWhenNothingWaits() {
		List<String> threads = Collections.synchronizedList(new ArrayList<>());
		SessionInbound inbound = new SessionInbound((message, timeout) -> threads.add(Thread.currentThread().getName()), this.counting,
				SIGNALS);

		inbound.send(send("/app/signal", 0));

		assertThat(threads).containsExactly(Thread.currentThread().getName());
		assertThat(this.tasks).hasValue(0);
	}

	@Test
	void aSendThatNeverBlocksWaitsForTheFramesBeforeIt() throws InterruptedException {
		BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
		Gate gate = new Gate();
		SessionInbound inbound = heldAtFirstFrame(handled, gate, SIGNALS);

		inbound.send(send("/app/room/r/join", 0));
		gate.awaitHeld();
		inbound.send(send("/app/signal", 1));
		gate.open();

		await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 2);
		assertThat(handled).containsExactly(0, 1);
		assertThat(this.tasks).hasValue(1);
	}

	@Test
	void framesThatCameWhileOneWasHandledInlineFollowItInOrder() throws InterruptedException {
		List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch inlineStarted = new CountDownLatch(1);
		CountDownLatch othersSent = new CountDownLatch(1);
		SessionInbound[] inbound = new SessionInbound[1];
		inbound[0] = new SessionInbound((message, timeout) -> {
			if ((Integer) message.getPayload() == 0) {
				inlineStarted.countDown();
				awaitQuietly(othersSent);
			}
			handled.add((Integer) message.getPayload());
			return true;
		}, this.counting, SIGNALS);

		Thread socket = new Thread(() -> inbound[0].send(send("/app/signal", 0)));
		socket.start();
		inlineStarted.await();
		// A close on another thread while the signal is handled where it arrived.
		inbound[0].send(send("/app/signal", 1));
		inbound[0].send(send("/app/room/r/leave", 2));
		othersSent.countDown();
		socket.join();

		await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 3);
		assertThat(handled).containsExactly(0, 1, 2);
		assertThat(this.tasks).hasValue(1);
	}

	/** Counts its tasks; the first frame's handler waits for the gate, so that the frames after it queue up. */
	private SessionInbound heldAtFirstFrame(BlockingQueue<Integer> handled, Gate gate, NonBlockingDestinations nonBlocking) {
		return new SessionInbound((message, timeout) -> {
			gate.passOnce();
			handled.add((Integer) message.getPayload());
			return true;
		}, this.counting, nonBlocking);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Message<Integer> send(String destination, int number) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination(destination);
		return MessageBuilder.createMessage(number, headers.getMessageHeaders());
	}

	private static MessageChannel recording(List<Integer> handled) {
		return (message, timeout) -> {
			handled.add((Integer) message.getPayload());
			return true;
		};
	}

	private static Message<Integer> frame(int number) {
		return MessageBuilder.withPayload(number).build();
	}

	/** Holds the first frame's handler until opened, so that the frames after it wait for their task. */
	private static final class Gate {

		private final CountDownLatch held = new CountDownLatch(1);

		private final CountDownLatch opened = new CountDownLatch(1);

		private final AtomicInteger passes = new AtomicInteger();

		void passOnce() {
			if (this.passes.getAndIncrement() == 0) {
				this.held.countDown();
				try {
					this.opened.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		void awaitHeld() throws InterruptedException {
			this.held.await();
		}

		void open() {
			this.opened.countDown();
		}
	}
}
