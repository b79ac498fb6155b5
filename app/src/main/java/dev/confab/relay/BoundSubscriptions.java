package dev.confab.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.broker.DefaultSubscriptionRegistry;
import org.springframework.messaging.simp.broker.SubscriptionRegistry;
import org.springframework.util.MultiValueMap;

/**
 * The simple broker's subscriptions, with a broker binding under each destination that has one:
 * a subscription is registered only once its destination is bound, and its destination is
 * released when the subscription or its session ends.
 */
final class BoundSubscriptions implements SubscriptionRegistry {

	private final SubscriptionRegistry local = new DefaultSubscriptionRegistry();

	/** Session id to (subscription id to destination): what to release when a session goes. */
	private final Map<String, Map<String, String>> sessions = new ConcurrentHashMap<>();

	private final DestinationBindings bindings;

	BoundSubscriptions(DestinationBindings bindings) {
		this.bindings = bindings;
	}

	@Override
	public void registerSubscription(Message<?> subscribe) {
		String session = SimpMessageHeaderAccessor.getSessionId(subscribe.getHeaders());
		String subscription = SimpMessageHeaderAccessor.getSubscriptionId(subscribe.getHeaders());
		String destination = SimpMessageHeaderAccessor.getDestination(subscribe.getHeaders());
		if (session == null || subscription == null || destination == null) {
			return;
		}
		this.bindings.acquire(destination);
		String replaced = this.sessions.computeIfAbsent(session, key -> new ConcurrentHashMap<>()).put(subscription, destination);
		if (replaced != null) {
			this.bindings.release(replaced);
		}
		this.local.registerSubscription(subscribe);
	}

	@Override
	public void unregisterSubscription(Message<?> unsubscribe) {
		String session = SimpMessageHeaderAccessor.getSessionId(unsubscribe.getHeaders());
		String subscription = SimpMessageHeaderAccessor.getSubscriptionId(unsubscribe.getHeaders());
		this.local.unregisterSubscription(unsubscribe);
		Map<String, String> subscriptions = session == null ? null : this.sessions.get(session);
		String destination = (subscriptions == null || subscription == null) ? null : subscriptions.remove(subscription);
		if (destination != null) {
			this.bindings.release(destination);
		}
	}

	@Override
	public void unregisterAllSubscriptions(String sessionId) {
		this.local.unregisterAllSubscriptions(sessionId);
		Map<String, String> subscriptions = this.sessions.remove(sessionId);
		if (subscriptions != null) {
			subscriptions.values().forEach(this.bindings::release);
		}
	}

	@Override
	public MultiValueMap<String, String> findSubscriptions(Message<?> message) {
		return this.local.findSubscriptions(message);
	}
}
