package dev.confab.stomp;

import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;

/**
 * The broker that carries this instance's STOMP messages: chosen once, by the topology (package
 * {@code topology}), and given to the transport, which never asks which one it has.
 */
public interface StompBroker {

	/** Enables this broker for the {@code /topic} and {@code /queue} destinations. */
	void enable(MessageBrokerRegistry registry, TaskScheduler scheduler, long heartbeatMillis);

	/** Whether the broker answers SUBSCRIBE/UNSUBSCRIBE receipts itself (see StompConnection#takeReceipt). */
	boolean confirmsSubscriptions();

	/**
	 * The broker handler to run: the one spring-messaging built from {@link #enable}, or one that
	 * takes its place, configured as that one is.
	 */
	default AbstractBrokerMessageHandler handler(AbstractBrokerMessageHandler configured) {
		return configured;
	}

	/** spring-messaging's in-memory broker: one instance only. */
	static StompBroker inMemory() {
		return new InMemoryBroker();
	}

	/** RabbitMQ's STOMP plugin behind spring-messaging's relay: any number of instances. */
	static StompBroker rabbitRelay(RabbitProperties rabbit, BrokerProperties broker) {
		return new RabbitStompRelay(rabbit, broker);
	}
}
