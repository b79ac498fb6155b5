package dev.confab.relay;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;

/**
 * spring-messaging's simple broker (sessions, heart-beats, subscriptions, local fan-out), with the
 * server's messages sent through RabbitMQ instead of straight to local subscribers: every instance
 * whose sessions follow the destination gets the message once, and fans it out itself. Available
 * only while the link to RabbitMQ is up.
 */
final class RelayedBrokerHandler extends SimpleBrokerMessageHandler {

	private final RelayLink link;

	/**
	 * Set before the start asks whether the link is up, read after the link says it is: whichever
	 * comes second announces the broker (volatile both, so one of them sees the other).
	 */
	private volatile boolean starting;

	RelayedBrokerHandler(SimpleBrokerMessageHandler configured, BoundSubscriptions subscriptions, RelayLink link) {
		super(configured.getClientInboundChannel(), configured.getClientOutboundChannel(), configured.getBrokerChannel(),
				configured.getDestinationPrefixes());
		setHeartbeatValue(configured.getHeartbeatValue());
		setTaskScheduler(configured.getTaskScheduler());
		setPreservePublishOrder(configured.isPreservePublishOrder());
		setSubscriptionRegistry(subscriptions);
		this.link = link;
	}

	/** Clients never publish (InboundRules): every message here is the server's, for every instance. */
	@Override
	protected void sendMessageToSubscribers(String destination, Message<?> message) {
		this.link.publish(destination, message);
	}

	/** A message from RabbitMQ, to this instance's subscribers of its destination. */
	void deliver(String destination, Message<?> message) {
		super.sendMessageToSubscribers(destination, message);
	}

	@Override
	public void startInternal() {
		this.starting = true;
		super.startInternal();
	}

	@Override
	protected void publishBrokerAvailableEvent() {
		if (this.link.isUp()) {
			super.publishBrokerAvailableEvent();
		}
	}

	void linkChanged(boolean up) {
		if (!up) {
			publishBrokerUnavailableEvent();
		}
		else if (this.starting) {
			super.publishBrokerAvailableEvent();
		}
	}
}
