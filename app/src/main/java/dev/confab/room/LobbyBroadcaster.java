package dev.confab.room;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import dev.confab.call.CallChanged;
import dev.confab.call.CallDestinations;

/** Keeps every open lobby page live: the room list is re-rendered and pushed on every change. */
@Component
class LobbyBroadcaster {

	private static final Log logger = LogFactory.getLog(LobbyBroadcaster.class);

	private final RoomRepository rooms;

	private final ISpringWebFluxTemplateEngine templates;

	private final SimpMessageSendingOperations messaging;

	LobbyBroadcaster(RoomRepository rooms, ISpringWebFluxTemplateEngine templates,
			SimpMessageSendingOperations messaging) {
		this.rooms = rooms;
		this.templates = templates;
		this.messaging = messaging;
	}

	@EventListener
	void callChanged(CallChanged changed) {
		publish();
	}

	void publish() {
		this.rooms.lobby(RoomController.LOBBY_SIZE).collectList().subscribe(list -> {
			String html = this.templates.process("fragments/room-list", Set.of("room-list"),
					new Context(Locale.ENGLISH, Map.of("rooms", list))).strip();
			try {
				this.messaging.convertAndSend(CallDestinations.LOBBY_TOPIC, (Object) Map.of("html", html));
			}
			catch (MessagingException ex) {
				// The broker is away: lobby pages lost their sockets too, and reload the list when they reconnect.
				logger.debug("Lobby update not sent: " + ex.getMessage());
			}
		});
	}
}
