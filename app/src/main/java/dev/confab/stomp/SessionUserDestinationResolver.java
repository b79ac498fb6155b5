package dev.confab.stomp;

import java.security.Principal;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationResult;

/**
 * User destinations addressed to exactly one session. A user with two tabs is two participants,
 * and Spring's default resolver falls back to every session of the user when the named session
 * is unknown, which would hand one participant's signals to another. Here a message without
 * a known session goes nowhere.
 *
 * <ul>
 * <li>SUBSCRIBE {@code /user/queue/events} by session S → broker destination {@code /topic/events-userS}</li>
 * <li>MESSAGE {@code /user/{user}/queue/events} with header simpSessionId S → {@code /topic/events-userS}</li>
 * </ul>
 * The target lives under {@code /topic}: RabbitMQ's STOMP plugin gives such subscriptions
 * exclusive auto-delete queues, so per-session destinations never outlive their session there.
 */
class SessionUserDestinationResolver implements UserDestinationResolver {

	static final String PREFIX = "/user/";

	private static final String PERSONAL_QUEUES = "/queue/";

	@Override
	public @Nullable UserDestinationResult resolveDestination(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		String destination = SimpMessageHeaderAccessor.getDestination(headers);
		String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(headers);
		if (destination == null || !destination.startsWith(PREFIX) || sessionId == null || type == null) {
			return null;
		}
		return switch (type) {
			case SUBSCRIBE, UNSUBSCRIBE -> fromSubscriber(destination, sessionId, SimpMessageHeaderAccessor.getUser(headers));
			case MESSAGE -> fromSender(destination, sessionId);
			default -> null;
		};
	}

	/** {@code /user/queue/events} from the session itself. */
	private static @Nullable UserDestinationResult fromSubscriber(String destination, String sessionId,
			@Nullable Principal user) {
		String queue = destination.substring(PREFIX.length() - 1);
		if (user == null || !queue.startsWith(PERSONAL_QUEUES)) {
			return null;
		}
		String target = target(queue, sessionId);
		return new UserDestinationResult(destination, Set.of(target), destination, user.getName(), Set.of(sessionId));
	}

	/** {@code /user/{user}/queue/events} sent by the server to one session of that user. */
	private static @Nullable UserDestinationResult fromSender(String destination, String sessionId) {
		int slash = destination.indexOf('/', PREFIX.length());
		if (slash < 0) {
			return null;
		}
		String user = destination.substring(PREFIX.length(), slash);
		String queue = destination.substring(slash);
		if (!queue.startsWith(PERSONAL_QUEUES)) {
			return null;
		}
		String subscribed = PREFIX.substring(0, PREFIX.length() - 1) + queue;
		return new UserDestinationResult(destination, Set.of(target(queue, sessionId)), subscribed, user,
				Set.of(sessionId));
	}

	/** {@code /queue/events} of session S → {@code /topic/events-userS}. */
	static String target(String queue, String sessionId) {
		return "/topic/" + queue.substring(PERSONAL_QUEUES.length()) + "-user" + sessionId;
	}
}
