package dev.confab.stomp;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.SimpMessageMappingInfo;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.util.PathMatcher;

/**
 * The SEND destinations some {@code @MessageMapping} handles, read from spring-messaging's own
 * handler so that the list cannot drift from the controllers. spring-messaging drops a message
 * no handler matches without a word; the transport refuses it instead (docs/protocol.md).
 */
final class ApplicationDestinations {

	private final SimpAnnotationMethodMessageHandler handler;

	/** The mapped patterns without the {@code /app} prefix; read once, on the first SEND. */
	private volatile @Nullable List<String> patterns;

	ApplicationDestinations(SimpAnnotationMethodMessageHandler handler) {
		this.handler = handler;
	}

	/** @param destination a SEND destination that starts with {@code /app/} */
	boolean isHandled(String destination) {
		String lookup = destination.substring(StompBrokerConfiguration.APPLICATION_PREFIX.length());
		PathMatcher matcher = this.handler.getPathMatcher();
		return patterns().stream().anyMatch(pattern -> matcher.match(pattern, lookup));
	}

	private List<String> patterns() {
		List<String> known = this.patterns;
		if (known == null) {
			// Handler methods are detected when the handler initialises; they do not change afterwards.
			known = this.handler.getHandlerMethods().keySet().stream()
					.filter(ApplicationDestinations::handlesSend)
					.flatMap(mapping -> mapping.getDestinationConditions().getPatterns().stream())
					.toList();
			this.patterns = known;
		}
		return known;
	}

	/** {@code @MessageMapping} (MESSAGE), not {@code @SubscribeMapping}. */
	private static boolean handlesSend(SimpMessageMappingInfo mapping) {
		return mapping.getMessageTypeMessageCondition().getMessageType() == SimpMessageType.MESSAGE;
	}
}
