package dev.confab.room;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.confab.call.CallChanged;
import dev.confab.call.CallDestinations;

/**
 * Keeps every open lobby page live: the room list is re-rendered and pushed after changes. Changes
 * close together go out as one list (a storm of joins costs a few renders, not one per join and
 * lobby query each, issue 12), and renders never overlap, so the last list sent is the newest.
 */
@Component
class LobbyBroadcaster implements DisposableBean {

	private static final Log logger = LogFactory.getLog(LobbyBroadcaster.class);

	/** The longest a change waits for the list that shows it; every change within it shares that list. */
	static final Duration COALESCE_WINDOW = Duration.ofMillis(250);

	/** Two threads emitting at once: one of them retries for this long (it takes nanoseconds). */
	private static final Duration EMIT_RETRY = Duration.ofMillis(100);

	private final RoomRepository rooms;

	private final ISpringWebFluxTemplateEngine templates;

	private final SimpMessageSendingOperations messaging;

	private final Sinks.Many<Boolean> changes = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable updates;

	LobbyBroadcaster(RoomRepository rooms, ISpringWebFluxTemplateEngine templates,
			SimpMessageSendingOperations messaging) {
		this.rooms = rooms;
		this.templates = templates;
		this.messaging = messaging;
		this.updates = this.changes.asFlux()
			.sample(COALESCE_WINDOW)
			.onBackpressureLatest()
			.concatMap(change -> render(), 1)
			.subscribe();
	}

	@EventListener
	void callChanged(CallChanged changed) {
		changed();
	}

	/** A room came, went or changed: the lobby pages get the list within {@link #COALESCE_WINDOW}. */
	void changed() {
		this.changes.emitNext(Boolean.TRUE, Sinks.EmitFailureHandler.busyLooping(EMIT_RETRY));
	}

	/** Renders and sends the list now, whatever else is under way (the tests' seam). */
	void publish() {
		render().subscribe();
	}

	private Mono<Void> render() {
		return this.rooms.lobby(RoomController.LOBBY_SIZE).collectList().doOnNext(list -> {
			String html = this.templates.process("fragments/room-list", Set.of("room-list"),
					new Context(Locale.ENGLISH, Map.of("rooms", list))).strip();
			try {
				this.messaging.convertAndSend(CallDestinations.LOBBY_TOPIC, (Object) Map.of("html", html));
			}
			catch (MessagingException ex) {
				// The broker is away: lobby pages lost their sockets too, and reload the list when they reconnect.
				logger.debug("Lobby update not sent: " + ex.getMessage());
			}
		})
			.then()
			// The next change renders again; one failure must not end the updates for good.
			.onErrorResume(ex -> {
				logger.warn("Lobby update failed: " + ex.getMessage());
				return Mono.empty();
			});
	}

	@Override
	public void destroy() {
		this.updates.dispose();
	}
}
