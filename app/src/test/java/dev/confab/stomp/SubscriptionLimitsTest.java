package dev.confab.stomp;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.support.ChannelInterceptor;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.RawStompSocket;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session holds at most what a page needs, one subscription per destination, refused on the I/O
 * thread: the refused SUBSCRIBE never enters the inbound channel, so in relay mode it never
 * becomes a RabbitMQ queue (docs/protocol.md, "Frames the server accepts").
 */
@ConfabServerTest
class SubscriptionLimitsTest {

	@Autowired
	TestCalls calls;

	@Autowired
	StompProperties limits;

	@Autowired
	Environment environment;

	@Autowired
	@Qualifier("clientInboundChannel")
	AbstractSubscribableChannel inbound;

	/** Room topics unique to one test, so that the recorder sees this test's sockets only. */
	String prefix;

	/** What reached the inbound channel (and so the broker or the relay): SUBSCRIBE destinations under {@link #prefix}. */
	final List<String> reachedBroker = new CopyOnWriteArrayList<>();

	private final ChannelInterceptor recorder = new ChannelInterceptor() {
		@Override
		public Message<?> preSend(Message<?> message, MessageChannel channel) {
			String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
			if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.SUBSCRIBE
					&& destination != null && destination.startsWith(SubscriptionLimitsTest.this.prefix)) {
				SubscriptionLimitsTest.this.reachedBroker.add(destination);
			}
			return message;
		}
	};

	@BeforeEach
	void recordSubscriptions() {
		this.prefix = "/topic/room.cap" + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 4) + "-";
		this.inbound.addInterceptor(this.recorder);
	}

	@AfterEach
	void stopRecording() {
		this.inbound.removeInterceptor(this.recorder);
	}

	@Test
	void theDefaultCapIsWhatAPageNeedsWithAMargin() {
		// A page holds its events queue and the lobby or its room's topic (frontend/src/pages/*.js).
		assertThat(this.limits.maxSubscriptionsPerSession()).isEqualTo(4);
	}

	@Test
	void oneSubscriptionTooManyIsRefusedBeforeItReachesTheBroker() throws Exception {
		int cap = this.limits.maxSubscriptionsPerSession();
		BrokerBindings bindings = BrokerBindings.of(this.environment);
		Set<String> before = bindings == null ? Set.of() : bindings.boundDestinations();
		try (RawStompSocket socket = open("capped")) {
			subscribe(socket, "events", "/user/queue/events");
			subscribe(socket, "lobby", "/topic/lobby");
			for (int i = 2; i < cap; i++) {
				subscribe(socket, "room-" + i, this.prefix + i);
			}
			if (bindings != null) {
				// Every subscription of the session is a destination bound to the instance's queue: the cap caps bindings.
				assertThat(added(before, bindings.boundDestinations())).hasSize(cap);
			}
			socket.send("SUBSCRIBE\nid:one-too-many\ndestination:" + this.prefix + "over\nreceipt:over\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n")
					.contains("Too many subscriptions: at most " + cap + " per connection.");
			socket.awaitClose();
		}
		assertThat(nothingMoreReachesTheBroker()).containsExactlyElementsOf(rooms(2, cap));
		if (bindings != null) {
			await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(added(before, bindings.boundDestinations())).as("bindings left behind").isEmpty());
		}
	}

	@Test
	void aSecondSubscriptionToTheSameDestinationIsRefused() throws Exception {
		try (RawStompSocket socket = open("twice")) {
			subscribe(socket, "first", this.prefix + "same");
			socket.send("SUBSCRIBE\nid:second\ndestination:" + this.prefix + "same\nreceipt:second\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n")
					.contains("Already subscribed to " + this.prefix + "same.");
			socket.awaitClose();
		}
		assertThat(nothingMoreReachesTheBroker()).containsExactly(this.prefix + "same");
	}

	@Test
	void theLobbyTooIsFollowedOnlyOnce() throws Exception {
		try (RawStompSocket socket = open("lobby-twice")) {
			subscribe(socket, "first", "/topic/lobby");
			socket.send("SUBSCRIBE\nid:second\ndestination:/topic/lobby\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n").contains("Already subscribed to /topic/lobby.");
			socket.awaitClose();
		}
	}

	@Test
	void aSubscriptionIdInUseIsRefused() throws Exception {
		try (RawStompSocket socket = open("same-id")) {
			subscribe(socket, "one", this.prefix + "a");
			socket.send("SUBSCRIBE\nid:one\ndestination:" + this.prefix + "b\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n").contains("Subscription id one is already in use.");
			socket.awaitClose();
		}
		assertThat(nothingMoreReachesTheBroker()).containsExactly(this.prefix + "a");
	}

	@Test
	void anUnsubscribeFreesItsSlotAndItsDestination() throws Exception {
		int cap = this.limits.maxSubscriptionsPerSession();
		try (RawStompSocket socket = open("churn")) {
			for (int i = 0; i < cap; i++) {
				subscribe(socket, "s" + i, this.prefix + i);
			}
			socket.send("UNSUBSCRIBE\nid:s0\nreceipt:gone\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT\n").contains("receipt-id:gone");
			subscribe(socket, "again", this.prefix + 0);
			socket.send("UNSUBSCRIBE\nid:s1\nreceipt:gone-too\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT\n").contains("receipt-id:gone-too");
			subscribe(socket, "s1", this.prefix + "new");
			socket.send("SUBSCRIBE\nid:over\ndestination:" + this.prefix + "over\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n").contains("Too many subscriptions");
			socket.awaitClose();
		}
		assertThat(nothingMoreReachesTheBroker()).doesNotContain(this.prefix + "over");
	}

	private RawStompSocket open(String name) throws Exception {
		return RawStompSocket.open(this.calls.port(), this.calls.cookieFor(name)).connect();
	}

	/** Subscribes and waits for the RECEIPT (RabbitMQ's own in relay mode: the queue is bound). */
	private static void subscribe(RawStompSocket socket, String id, String destination) throws InterruptedException {
		socket.send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nreceipt:" + id + "\n\n\0");
		assertThat(socket.next()).as("SUBSCRIBE to " + destination).startsWith("RECEIPT\n").contains("receipt-id:" + id);
	}

	/** The recorded destinations, once a refused frame would have had ample time to pass. */
	private List<String> nothingMoreReachesTheBroker() throws InterruptedException {
		Thread.sleep(300);
		return List.copyOf(this.reachedBroker);
	}

	private List<String> rooms(int from, int to) {
		return java.util.stream.IntStream.range(from, to).mapToObj(i -> this.prefix + i).toList();
	}

	private static Set<String> added(Set<String> before, Set<String> now) {
		Set<String> added = new TreeSet<>(now);
		added.removeAll(before);
		return added;
	}
}
