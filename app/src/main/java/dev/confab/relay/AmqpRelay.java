package dev.confab.relay;

import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;

import dev.confab.stomp.StompBroker;

/**
 * The simple broker of every instance, joined through RabbitMQ: heart-beats and subscriptions
 * stay between the browsers and their instance, messages cross the broker once per instance.
 */
final class AmqpRelay implements StompBroker {

	private final BoundSubscriptions subscriptions;

	private final RelayLink link;

	AmqpRelay(BoundSubscriptions subscriptions, RelayLink link) {
		this.subscriptions = subscriptions;
		this.link = link;
	}

	/** Configured as the in-memory broker is; {@link #handler} then puts the relayed one in its place. */
	@Override
	public void enable(MessageBrokerRegistry registry, TaskScheduler scheduler, long heartbeatMillis) {
		StompBroker.inMemory().enable(registry, scheduler, heartbeatMillis);
	}

	/**
	 * No: a SUBSCRIBE is handled only once its destination is bound (the bind waits for RabbitMQ's
	 * bind-ok), so the transport's receipt, which follows the handling, is as honest as the broker's.
	 */
	@Override
	public boolean confirmsSubscriptions() {
		return false;
	}

	@Override
	public AbstractBrokerMessageHandler handler(AbstractBrokerMessageHandler configured) {
		RelayedBrokerHandler handler = new RelayedBrokerHandler((SimpleBrokerMessageHandler) configured,
				this.subscriptions, this.link);
		this.link.attach(handler);
		return handler;
	}
}
