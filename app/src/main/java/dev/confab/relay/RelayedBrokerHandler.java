package dev.confab.relay;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * spring-messaging's simple broker (sessions, heart-beats, subscriptions, local fan-out), with the
 * server's messages sent through RabbitMQ as well: this instance's subscribers get a message at
 * once, every other instance whose sessions follow the destination gets it once from RabbitMQ,
 * and fans it out itself (the link drops this instance's own messages when they come back). A
 * personal destination, which one session follows, is not published when that session is here.
 * So a session gets what its own instance sends in the order it was sent. Available only while
 * the link to RabbitMQ is up.
 */
final class RelayedBrokerHandler extends SimpleBrokerMessageHandler {

	private static final String USER_DESTINATIONS = "/user/";

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
		this.link.requireUp(message);
		super.sendMessageToSubscribers(destination, message);
		// One session follows a personal destination: when it is here, no other instance needs the message.
		boolean onlyHere = isPersonal(message) && !getSubscriptionRegistry().findSubscriptions(message).isEmpty();
		if (!onlyHere) {
			this.link.publish(destination, message);
		}
	}

	/**
	 * Resolved from a {@code /user/...} destination: one session's (stomp.SessionUserDestinationResolver
	 * names a session in every target), which spring-messaging marks with the destination the
	 * session subscribed to.
	 */
	private static boolean isPersonal(Message<?> message) {
		String subscribed = NativeMessageHeaderAccessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION,
				message.getHeaders());
		return subscribed != null && subscribed.startsWith(USER_DESTINATIONS);
	}

	/** A message from another instance, through RabbitMQ, to this instance's subscribers of its destination. */
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
