package dev.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.cluster.ControlMessagesMissed;
import dev.confab.cluster.RoomCallNews;
import dev.confab.cluster.RoomCallNewsReceived;

/**
 * Where signals go, kept in memory so that a signal costs no database round trip: for each room,
 * its announced participants' sessions and whether they are away, as of the room's latest change.
 * Every change of a call is made under the room's lock by some instance, which updates its own copy
 * and tells the others over the instance bus ({@link RoomCallNews}); a copy only replaces an older
 * version. A room not known here is read once from the database. A copy without news for
 * {@link #UNTOLD_FOR} is read again, and every copy is dropped when the bus missed messages, so a lost
 * change is not believed for long.
 */
@Component
class CallRoutes {

	private static final Log logger = LogFactory.getLog(CallRoutes.class);

	/** How long a copy is trusted without news; bounds what a lost message can cost, at one read per room. */
	static final Duration UNTOLD_FOR = Duration.ofSeconds(30);

	private final Cache<String, RoomRoutes> rooms = Caffeine.newBuilder()
			.expireAfterWrite(UNTOLD_FOR)
			.maximumSize(100_000)
			.build();

	/** Reads in flight, one per room: a burst of signals after a change waits for one read. */
	private final Map<String, Mono<RoomRoutes>> reading = new ConcurrentHashMap<>();

	private final PresenceRepository presence;

	private final RoomCallNews news;

	private final JsonMapper json;

	CallRoutes(PresenceRepository presence, RoomCallNews news, JsonMapper json) {
		this.presence = presence;
		this.news = news;
		this.json = json;
	}

	/** Where to reach a participant: its session now (the last one while away). */
	record Route(String sessionId, String userName, boolean away) {
	}

	/** One room's routes at one roster version, by participant id. */
	record RoomRoutes(String room, long version, Map<String, Route> participants) {

		RoomRoutes {
			Objects.requireNonNull(room, "room");
			participants = Map.copyOf(participants);
		}

		static RoomRoutes of(String room, long version, List<Participant> participants) {
			return new RoomRoutes(room, version, participants.stream().collect(Collectors.toUnmodifiableMap(
					Participant::id, p -> new Route(p.sessionId(), p.userName(), p.away()))));
		}
	}

	/** The room's routes: this instance's copy, or read from the database when it has none. */
	Mono<RoomRoutes> of(String room) {
		RoomRoutes known = this.rooms.getIfPresent(room);
		return known != null ? Mono.just(known) : this.reading.computeIfAbsent(room, this::read);
	}

	/**
	 * A change this instance made, once it committed: its copy now, and the others' copy through the
	 * bus. News may arrive in any order; the version, taken under the room's lock, decides.
	 */
	void changed(String room, PresenceRepository.CallNow call) {
		RoomRoutes routes = RoomRoutes.of(room, call.version(), call.participants());
		offer(routes);
		this.news.tell(this.json.writeValueAsString(routes));
	}

	/** A copy turned out wrong (a signal named someone it lacks): read the room again next time. */
	void forget(String room) {
		this.rooms.invalidate(room);
	}

	@EventListener
	void told(RoomCallNewsReceived received) {
		try {
			offer(this.json.readValue(received.payload(), RoomRoutes.class));
		}
		catch (JacksonException ex) {
			logger.debug("Ignored room call news: " + ex.getMessage());
		}
	}

	@EventListener
	void missed(ControlMessagesMissed missed) {
		this.rooms.invalidateAll();
	}

	private void offer(RoomRoutes routes) {
		this.rooms.asMap().merge(routes.room(), routes, (known, offered) -> offered.version() >= known.version() ? offered : known);
	}

	/**
	 * The version is read first: a change committing in between makes the copy look older than it
	 * is, so that change's own news still replaces it.
	 */
	private Mono<RoomRoutes> read(String room) {
		Function<Long, Mono<RoomRoutes>> participants = version -> this.presence.inRoom(room).collectList()
				.map(list -> RoomRoutes.of(room, version, list));
		return this.presence.version(room)
				.flatMap(participants)
				.doOnNext(this::offer)
				.doFinally(signal -> this.reading.remove(room))
				.cache();
	}
}
