package dev.confab.relay;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.annotation.Bean;

import dev.confab.stomp.StompBroker;

/**
 * Confab's relay, imported by the topology when scaled out (not scanned): the direct exchange
 * {@value #EXCHANGE} shared by every instance, routed by destination, and one exclusive
 * auto-delete queue per instance, which RabbitMQ drops with the instance's connection, bindings
 * and all. Boot's RabbitAdmin declares both, again after every reconnect. Two connections per
 * instance, whatever the number of sessions: Boot's (this queue, the control queue) and the
 * relay's publishing one (RabbitMQ blocks a publishing connection under a memory alarm; consumers
 * must not be blocked with it).
 */
public class RelayConfiguration {

	static final String EXCHANGE = "confab.relay";

	/** How soon the consumer tries again after losing the broker: readiness returns that soon after it. */
	private static final long RECOVERY_INTERVAL_MILLIS = 1000;

	@Bean
	DirectExchange relayExchange() {
		return new DirectExchange(EXCHANGE, true, false);
	}

	@Bean
	AnonymousQueue relayQueue() {
		return new AnonymousQueue(new Base64UrlNamingStrategy("confab.relay."));
	}

	/**
	 * The publishing connection comes from a factory of the link's own, on Boot's settings: not
	 * Boot's publisher factory, which passes its connections' events to the listeners of Boot's
	 * (the link must hear only the connection that owns its queue), and not a bean (Boot would then
	 * back off from making its own).
	 */
	@Bean
	RelayLink relayLink(CachingConnectionFactory connections, AmqpAdmin admin, AnonymousQueue relayQueue) {
		CachingConnectionFactory publishing = new CachingConnectionFactory(connections.getRabbitConnectionFactory());
		publishing.setConnectionNameStrategy(factory -> "confab-relay-publisher");
		RelayLink link = new RelayLink(publishing, EXCHANGE, new DestinationBindings(admin, EXCHANGE, relayQueue.getName()));
		connections.addConnectionListener(link);
		return link;
	}

	@Bean
	StompBroker stompBroker(RelayLink relayLink) {
		return new AmqpRelay(new BoundSubscriptions(relayLink.bindings()), relayLink);
	}

	@Bean
	DirectMessageListenerContainer relayListener(ConnectionFactory connections, AnonymousQueue relayQueue, RelayLink relayLink) {
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(connections);
		container.setQueues(relayQueue);
		container.setConsumersPerQueue(1);
		container.setAcknowledgeMode(AcknowledgeMode.NONE);
		container.setRecoveryInterval(RECOVERY_INTERVAL_MILLIS);
		container.setMessageListener(relayLink);
		return container;
	}
}
