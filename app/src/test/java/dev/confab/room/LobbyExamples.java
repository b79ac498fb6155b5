package dev.confab.room;

import java.util.ArrayList;
import java.util.List;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.AbstractMessageChannel;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import reactor.core.publisher.Flux;

/**
 * Test seam: what {@link LobbyBroadcaster} pushes on {@code /topic/lobby} for a given room list,
 * through its own rendering and the given message converter, without a database or a broker.
 */
public final class LobbyExamples {

	private LobbyExamples() {
	}

	/** The lobby message for these rooms, as the converter writes it (the wire body). */
	public static Object lobbyMessage(ISpringWebFluxTemplateEngine templates, MessageConverter converter,
			List<RoomSummary> list) {
		List<Message<?>> sent = new ArrayList<>();
		AbstractMessageChannel channel = new AbstractMessageChannel() {
			@Override
			protected boolean sendInternal(Message<?> message, long timeout) {
				return sent.add(message);
			}
		};
		SimpMessagingTemplate messaging = new SimpMessagingTemplate(channel);
		messaging.setMessageConverter(converter);
		RoomRepository rooms = new RoomRepository(null, null) {
			@Override
			Flux<RoomSummary> lobby(int limit) {
				return Flux.fromIterable(list).take(limit);
			}
		};
		LobbyBroadcaster lobby = new LobbyBroadcaster(rooms, templates, messaging);
		lobby.publish();
		lobby.destroy();
		if (sent.size() != 1) {
			throw new AssertionError("LobbyBroadcaster sent " + sent.size() + " messages, not one");
		}
		return sent.get(0).getPayload();
	}
}
