package dev.confab.stomp;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import dev.confab.session.SubscriptionPolicy;

/**
 * What a client may send, checked before a frame enters the message channels: exceptions thrown
 * by channel interceptors never reach the client, so refusals are decided here and answered with ERROR.
 */
final class InboundRules {

	/** The only destinations a client may SEND to: application handlers, never the broker itself. */
	static final String APPLICATION_PREFIX = StompBrokerConfiguration.APPLICATION_PREFIX + "/";

	/** Every session may subscribe to its own personal queue. */
	static final String PERSONAL_DESTINATION = "/user/queue/events";

	private static final Set<String> CONNECT_HEADERS = Set.of("accept-version", "heart-beat", "host");

	/** Broker-specific headers (queue naming, durability, selectors, reply-to, ...) never pass. */
	private static final Set<String> FRAME_HEADERS = Set.of("destination", "id", "receipt", "content-type",
			"content-length", "ack");

	private static final int MAX_DESTINATION_LENGTH = 200;

	private final SubscriptionPolicy subscriptionPolicy;

	private final ApplicationDestinations applicationDestinations;

	/** In relay mode each subscription is a RabbitMQ queue: a session holds what its page needs, no more. */
	private final int maxSubscriptions;

	InboundRules(SubscriptionPolicy subscriptionPolicy, ApplicationDestinations applicationDestinations,
			int maxSubscriptions) {
		this.subscriptionPolicy = subscriptionPolicy;
		this.applicationDestinations = applicationDestinations;
		this.maxSubscriptions = maxSubscriptions;
	}

	/**
	 * @param subscriptions the session's current subscriptions, id to destination
	 * @return empty when the frame may pass, otherwise the reason to refuse it
	 */
	Optional<String> refusal(StompHeaderAccessor frame, boolean connected, String sessionId, Principal user,
			Map<String, String> subscriptions) {
		StompCommand command = frame.getCommand();
		if (command == null) {
			return Optional.of("Unknown command.");
		}
		boolean connect = command == StompCommand.CONNECT || command == StompCommand.STOMP;
		if (connect) {
			return connected ? Optional.of("Already connected.") : versionRefusal(frame);
		}
		if (!connected) {
			return Optional.of("Expected CONNECT first, got " + command + ".");
		}
		return switch (command) {
			case SEND -> sendRefusal(frame.getDestination());
			case SUBSCRIBE -> subscribeRefusal(frame, sessionId, user).or(() -> countRefusal(frame, subscriptions));
			case UNSUBSCRIBE -> frame.getSubscriptionId() == null ? Optional.of("UNSUBSCRIBE needs an id.") : Optional.empty();
			case DISCONNECT -> Optional.empty();
			default -> Optional.of(command + " is not supported.");
		};
	}

	private static Optional<String> versionRefusal(StompHeaderAccessor frame) {
		Set<String> versions = frame.getAcceptVersion();
		boolean supported = versions.isEmpty() || versions.contains("1.2") || versions.contains("1.1")
				|| versions.contains("1.0");
		return supported ? Optional.empty() : Optional.of("Supported STOMP versions are 1.2, 1.1 and 1.0.");
	}

	private Optional<String> sendRefusal(@Nullable String destination) {
		if (!wellFormed(destination) || !destination.startsWith(APPLICATION_PREFIX)) {
			return Optional.of("SEND is allowed to " + APPLICATION_PREFIX + "... destinations only.");
		}
		if (!this.applicationDestinations.isHandled(destination)) {
			return Optional.of("Unknown destination: " + destination);
		}
		return Optional.empty();
	}

	private Optional<String> subscribeRefusal(StompHeaderAccessor frame, String sessionId, Principal user) {
		String destination = frame.getDestination();
		if (frame.getSubscriptionId() == null || frame.getSubscriptionId().isBlank()) {
			return Optional.of("SUBSCRIBE needs an id.");
		}
		if (!wellFormed(destination)) {
			return Optional.of("SUBSCRIBE needs a destination.");
		}
		if (PERSONAL_DESTINATION.equals(destination)) {
			return Optional.empty();
		}
		return this.subscriptionPolicy.refusal(sessionId, user, destination);
	}

	/**
	 * One subscription per destination (a second would double every message) and at most the
	 * configured number; an id in use would replace the session's record of the first while the
	 * broker keeps both. Only allowed destinations get here.
	 */
	private Optional<String> countRefusal(StompHeaderAccessor frame, Map<String, String> subscriptions) {
		String destination = frame.getDestination();
		if (subscriptions.containsKey(frame.getSubscriptionId())) {
			return Optional.of("Subscription id " + frame.getSubscriptionId() + " is already in use.");
		}
		if (subscriptions.containsValue(destination)) {
			return Optional.of("Already subscribed to " + destination + ".");
		}
		if (subscriptions.size() >= this.maxSubscriptions) {
			return Optional.of("Too many subscriptions: at most " + this.maxSubscriptions + " per connection.");
		}
		return Optional.empty();
	}

	private static boolean wellFormed(@Nullable String destination) {
		return destination != null && destination.startsWith("/") && destination.length() <= MAX_DESTINATION_LENGTH
				&& !destination.contains("..") && destination.chars().noneMatch(Character::isISOControl);
	}

	/** Keeps only the headers Confab's protocol uses; identity never comes from login/passcode. */
	static void dropForeignHeaders(StompHeaderAccessor frame) {
		StompCommand command = frame.getCommand();
		Set<String> allowed = (command == StompCommand.CONNECT || command == StompCommand.STOMP)
				? CONNECT_HEADERS : FRAME_HEADERS;
		Map<String, List<String>> nativeHeaders = frame.toNativeHeaderMap();
		for (String name : new ArrayList<>(nativeHeaders.keySet())) {
			if (!allowed.contains(name)) {
				frame.removeNativeHeader(name);
			}
		}
		// The decoder keeps a CONNECT's passcode aside in this header; identity comes from the cookie only.
		frame.removeHeader("stompCredentials");
	}
}
