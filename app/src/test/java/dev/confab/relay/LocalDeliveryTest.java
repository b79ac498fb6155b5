package dev.confab.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;

import dev.confab.support.services.TestRabbitMq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances' relays on one real RabbitMQ virtual host: an instance's own sends reach its own
 * sessions at once and exactly once, the other instance's through the broker, and a message to a
 * personal destination whose session is on the sending instance never reaches the broker (a spy
 * queue bound to it sees nothing, though it sees what was published after it).
 */
class LocalDeliveryTest {

	private static final String PERSONAL_OF_S1 = "/topic/events-users1";

	private static final String PERSONAL_OF_S3 = "/topic/events-users3";

	private static final String ROOM = "/topic/room.x";

	private static final Duration SETTLED = Duration.ofMillis(500);

	private TestRabbitMq rabbit;

	private Relay a;

	private Relay b;

	@BeforeEach
	void start() {
		TestRabbitMq.require();
		this.rabbit = TestRabbitMq.createVirtualHost();
		this.a = new Relay(this.rabbit);
		this.b = new Relay(this.rabbit);
		this.a.subscribe("s1", PERSONAL_OF_S1, "/user/queue/events");
		this.a.subscribe("s2", ROOM, null);
		this.b.subscribe("s3", ROOM, null);
		this.b.subscribe("s3", PERSONAL_OF_S3, "/user/queue/events");
	}

	@AfterEach
	void stop() {
		for (Relay relay : new Relay[] { this.a, this.b }) {
			if (relay != null) {
				relay.close();
			}
		}
		if (this.rabbit != null) {
			this.rabbit.close();
		}
	}

	@Test
	void aPersonalMessageToASessionOfTheSendingInstanceStaysOffTheBroker() {
		String spy = this.a.spyOn(PERSONAL_OF_S1, ROOM);
		this.a.send(PERSONAL_OF_S1, "to s1", true);
		this.a.send(ROOM, "after it", false);
		assertThat(this.a.received("s1")).containsExactly("to s1");
		// One channel publishes in order: once the room's message is in the spy queue, the personal one would be before it.
		String first = await().atMost(Duration.ofSeconds(10)).until(() -> this.a.nextBodyIn(spy), body -> body != null);
		assertThat(first).isEqualTo("after it");
		assertThat(this.a.nextBodyIn(spy)).isNull();
	}

	@Test
	void aTopicReachesTheSendersOwnSessionsOnceAndTheOtherInstancesThroughTheBroker() {
		this.a.send(ROOM, "roster 1", false);
		this.a.send(ROOM, "roster 2", false);
		assertThat(this.a.received("s2")).as("at once, on the sending thread").containsExactly("roster 1", "roster 2");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.b.received("s3").size() == 2);
		assertThat(this.b.received("s3")).containsExactly("roster 1", "roster 2");
		await().during(SETTLED).atMost(SETTLED.multipliedBy(4))
			.untilAsserted(() -> assertThat(this.a.received("s2")).as("the echo from RabbitMQ is dropped").hasSize(2));
	}

	@Test
	void aPersonalMessageToASessionElsewhereCrossesTheBroker() {
		this.a.send(PERSONAL_OF_S3, "to s3", true);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.b.received("s3").isEmpty());
		await().during(SETTLED).atMost(SETTLED.multipliedBy(4))
			.untilAsserted(() -> assertThat(this.b.received("s3")).containsExactly("to s3"));
		assertThat(this.a.received("s1")).isEmpty();
	}

	/** One instance's relay: its queue, link, consumer and simple broker, with what each session got. */
	private static final class Relay implements AutoCloseable {

		private final CachingConnectionFactory consuming;

		private final CachingConnectionFactory publishing;

		private final RabbitAdmin admin;

		private final RelayLink link;

		private final DirectMessageListenerContainer listener;

		private final RelayedBrokerHandler broker;

		private final Map<String, List<String>> received = new ConcurrentHashMap<>();

		private final Set<String> connected = new HashSet<>();

		private int subscriptions;

		Relay(TestRabbitMq rabbit) {
			this.consuming = connections(rabbit);
			this.publishing = connections(rabbit);
			this.admin = new RabbitAdmin(this.consuming);
			AnonymousQueue queue = new AnonymousQueue();
			this.link = new RelayLink(this.publishing, RelayConfiguration.EXCHANGE,
					new DestinationBindings(this.admin, RelayConfiguration.EXCHANGE, queue.getName()));
			this.consuming.addConnectionListener(this.link);
			this.admin.declareExchange(new DirectExchange(RelayConfiguration.EXCHANGE, true, false));
			this.admin.declareQueue(queue);
			this.listener = new DirectMessageListenerContainer(this.consuming);
			this.listener.setQueues(queue);
			this.listener.setMessageListener(this.link);
			this.listener.afterPropertiesSet();
			this.listener.start();

			ExecutorSubscribableChannel toClients = new ExecutorSubscribableChannel();
			toClients.subscribe(message -> {
				if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.MESSAGE) {
					this.received
						.computeIfAbsent(SimpMessageHeaderAccessor.getSessionId(message.getHeaders()), key -> Collections.synchronizedList(new ArrayList<>()))
						.add(new String((byte[]) message.getPayload(), StandardCharsets.UTF_8));
				}
			});
			SimpleBrokerMessageHandler configured = new SimpleBrokerMessageHandler(new ExecutorSubscribableChannel(), toClients,
					new ExecutorSubscribableChannel(), List.of("/topic"));
			this.broker = new RelayedBrokerHandler(configured, new BoundSubscriptions(this.link.bindings()), this.link);
			this.link.attach(this.broker);
			this.broker.start();
		}

		private static CachingConnectionFactory connections(TestRabbitMq rabbit) {
			CachingConnectionFactory factory = new CachingConnectionFactory(rabbit.host(), rabbit.amqpPort());
			factory.setUsername(rabbit.username());
			factory.setPassword(rabbit.password());
			factory.setVirtualHost(rabbit.virtualHost());
			return factory;
		}

		/** Connects the session first if it is new: the simple broker sends only to connected sessions. */
		void subscribe(String session, String destination, @Nullable String subscribedAs) {
			if (this.connected.add(session)) {
				SimpMessageHeaderAccessor connect = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT);
				connect.setSessionId(session);
				connect.setHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER, new long[] { 0, 0 });
				this.broker.handleMessage(MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders()));
			}
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
			headers.setSessionId(session);
			headers.setSubscriptionId("sub-" + this.subscriptions++);
			headers.setDestination(destination);
			if (subscribedAs != null) {
				headers.setNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, subscribedAs);
			}
			this.broker.handleMessage(MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()));
		}

		/** A server send, as spring-messaging hands it to the broker (a personal one resolved from {@code /user/...}). */
		void send(String destination, String body, boolean personal) {
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
			headers.setDestination(destination);
			if (personal) {
				headers.setNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, "/user/queue/events");
			}
			Message<byte[]> message = MessageBuilder.createMessage(body.getBytes(StandardCharsets.UTF_8), headers.getMessageHeaders());
			this.broker.handleMessage(message);
		}

		List<String> received(String session) {
			return List.copyOf(this.received.getOrDefault(session, List.of()));
		}

		/** A queue of the test's own, bound to these destinations on the relay's exchange. */
		String spyOn(String... destinations) {
			AnonymousQueue spy = new AnonymousQueue();
			this.admin.declareQueue(spy);
			for (String destination : destinations) {
				this.admin.declareBinding(new Binding(spy.getName(), Binding.DestinationType.QUEUE, RelayConfiguration.EXCHANGE,
						destination, null));
			}
			return spy.getName();
		}

		/** The oldest message in the queue, taken; null when it is empty. */
		@Nullable String nextBodyIn(String queue) {
			org.springframework.amqp.core.Message message = new RabbitTemplate(this.consuming).receive(queue);
			return message == null ? null : new String(message.getBody(), StandardCharsets.UTF_8);
		}

		@Override
		public void close() {
			this.broker.stop();
			this.listener.stop();
			this.link.destroy();
			this.consuming.destroy();
		}
	}
}
