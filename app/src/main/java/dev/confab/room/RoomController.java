package dev.confab.room;

import java.net.URI;
import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

import dev.confab.call.CallDirectory;
import dev.confab.call.RoomSlugs;
import dev.confab.ice.IceServers;
import dev.confab.identity.ConfabUser;

/** The lobby, room creation and the room page. */
@Controller
class RoomController {

	static final String LOBBY_VIEW = "lobby";

	static final String ROOM_VIEW = "room";

	static final String MISSING_ROOM_VIEW = "room-missing";

	private final Preloads preloads;

	static final int LOBBY_SIZE = 100;

	private final RoomRepository rooms;

	private final CallDirectory calls;

	private final LobbyBroadcaster lobby;

	private final IceServers ice;

	RoomController(RoomRepository rooms, CallDirectory calls, LobbyBroadcaster lobby, IceServers ice, Preloads preloads) {
		this.preloads = preloads;
		this.rooms = rooms;
		this.calls = calls;
		this.lobby = lobby;
		this.ice = ice;
	}

	@GetMapping("/")
	Mono<String> lobby(Mono<Principal> principal, Model model) {
		return lobbyPage(principal, model, null, "");
	}

	@PostMapping("/rooms")
	Mono<String> create(Mono<Principal> principal, ServerWebExchange exchange, Model model) {
		return exchange.getFormData().flatMap(form -> {
			String input = form.getFirst("name");
			boolean relayOnly = form.containsKey("relayOnly");
			if (relayOnly && !this.ice.hasTurn()) {
				exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
				return lobbyPage(principal, model, "Relay-only rooms need a TURN server, and none is configured.",
						input == null ? "" : input);
			}
			return RoomNames.fromInput(input)
					.map(room -> principal.map(RoomController::user)
							.flatMap(user -> this.rooms.createOrFind(room.withRelayOnly(relayOnly), user.id()))
							.doOnNext(created -> this.lobby.changed())
							.map(created -> "redirect:/rooms/" + created.slug()))
					.orElseGet(() -> {
						exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
						return lobbyPage(principal, model,
								"Room names are 1 to 40 characters with at least one letter or digit.",
								input == null ? "" : input);
					});
		});
	}

	@GetMapping("/rooms/{slug}")
	Mono<String> room(@PathVariable String slug, Mono<Principal> principal, ServerWebExchange exchange, Model model) {
		if (!RoomSlugs.isValid(slug)) {
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No such room"));
		}
		return principal.map(RoomController::user).flatMap(me -> {
			model.addAttribute("me", me);
			return this.rooms.find(slug)
					.zipWith(this.calls.roster(slug))
					.map(loaded -> {
						model.addAttribute("room", loaded.getT1());
						model.addAttribute("roster", loaded.getT2());
						model.addAttribute("maxParticipants", this.calls.maxParticipants());
						model.addAttribute("modulePreloads", this.preloads.modulesOf("/js/pages/room.js"));
						return ROOM_VIEW;
					})
					.switchIfEmpty(Mono.fromSupplier(() -> missingRoom(slug, exchange, model)));
		});
	}

	/** A shared link to a room that was removed (empty too long) or never made: offer to open it again. */
	private String missingRoom(String slug, ServerWebExchange exchange, Model model) {
		exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
		model.addAttribute("slug", slug);
		model.addAttribute("turnAvailable", this.ice.hasTurn());
		return MISSING_ROOM_VIEW;
	}

	private Mono<String> lobbyPage(Mono<Principal> principal, Model model, String error, String roomName) {
		return principal.map(RoomController::user)
				.zipWith(this.rooms.lobby(LOBBY_SIZE).collectList())
				.map(loaded -> {
					model.addAttribute("me", loaded.getT1());
					model.addAttribute("rooms", loaded.getT2());
					model.addAttribute("error", error);
					model.addAttribute("roomName", roomName);
					model.addAttribute("turnAvailable", this.ice.hasTurn());
					model.addAttribute("modulePreloads", this.preloads.modulesOf("/js/pages/lobby.js"));
					return LOBBY_VIEW;
				});
	}

	static ConfabUser user(Principal principal) {
		Object inner = principal instanceof Authentication authentication ? authentication.getPrincipal() : principal;
		if (inner instanceof ConfabUser user) {
			return user;
		}
		throw new ResponseStatusException(HttpStatus.UNAUTHORIZED);
	}
}
