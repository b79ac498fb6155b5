package dev.confab.call;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The rows behind a room its owner controls: the room's settings, who knocks, who was removed.
 * Callers hold the room's lock. Portable SQL only.
 */
@Repository
class RoomControlRepository {

	private static final String KNOCK_COLUMNS = "id, room_slug, session_id, user_name, screen_name";

	private final DatabaseClient db;

	RoomControlRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<Void> setLocked(String slug, boolean locked) {
		return update("UPDATE rooms SET locked = :value WHERE slug = :slug", slug, locked);
	}

	Mono<Void> setWaitingRoom(String slug, boolean on) {
		return update("UPDATE rooms SET waiting_room = :value WHERE slug = :slug", slug, on);
	}

	Mono<Void> setCapacity(String slug, int capacity) {
		return update("UPDATE rooms SET capacity = :value WHERE slug = :slug", slug, capacity);
	}

	Mono<Void> setOwner(String slug, String userName) {
		return update("UPDATE rooms SET owner_user = :value WHERE slug = :slug", slug, userName);
	}

	/** The call emptied: the creator owns the room again, and it is open to all (its capacity stays). */
	Mono<Void> reset(String slug) {
		return this.db.sql("UPDATE rooms SET owner_user = CAST(created_by AS VARCHAR(64)), locked = FALSE,"
						+ " waiting_room = FALSE WHERE slug = :slug")
				.bind("slug", slug)
				.then();
	}

	Mono<Void> insertKnock(Knock knock, String instanceId) {
		return this.db.sql("INSERT INTO knocks (" + KNOCK_COLUMNS + ", instance_id, knocked_at)"
						+ " VALUES (:id, :room, :session, :user, :screen, :instance, :at)")
				.bind("id", knock.id())
				.bind("room", knock.roomSlug())
				.bind("session", knock.sessionId())
				.bind("user", knock.userName())
				.bind("screen", knock.screenName())
				.bind("instance", instanceId)
				.bind("at", OffsetDateTime.now(ZoneOffset.UTC))
				.then();
	}

	/** The session's knock, with whether the owner let it in already. */
	Mono<KnockState> knockOf(String sessionId) {
		return this.db.sql("SELECT " + KNOCK_COLUMNS + ", admitted FROM knocks WHERE session_id = :session")
				.bind("session", sessionId)
				.map(row -> new KnockState(toKnock(row), Boolean.TRUE.equals(row.get("admitted", Boolean.class))))
				.one();
	}

	record KnockState(Knock knock, boolean admitted) {
	}

	Mono<Knock> knock(String id) {
		return this.db.sql("SELECT " + KNOCK_COLUMNS + " FROM knocks WHERE id = :id")
				.bind("id", id)
				.map(RoomControlRepository::toKnock)
				.one();
	}

	/** Who still waits for the owner, first come first. */
	Flux<Knock> waiting(String slug) {
		return this.db.sql("SELECT " + KNOCK_COLUMNS + " FROM knocks WHERE room_slug = :slug AND NOT admitted"
						+ " ORDER BY knocked_at, id")
				.bind("slug", slug)
				.map(RoomControlRepository::toKnock)
				.all();
	}

	/** @return true when this let it in (it was still waiting) */
	Mono<Boolean> admit(String knockId) {
		return this.db.sql("UPDATE knocks SET admitted = TRUE WHERE id = :id AND NOT admitted")
				.bind("id", knockId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	Mono<Boolean> deleteKnock(String knockId) {
		return this.db.sql("DELETE FROM knocks WHERE id = :id")
				.bind("id", knockId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	Mono<Void> deleteKnocksIn(String slug) {
		return this.db.sql("DELETE FROM knocks WHERE room_slug = :slug").bind("slug", slug).then();
	}

	/** The session's knock, if any: the page stopped waiting, or its socket closed. */
	Mono<Knock> deleteKnockOf(String sessionId) {
		return knockOf(sessionId).flatMap(state -> deleteKnock(state.knock().id()).filter(Boolean::booleanValue)
				.map(deleted -> state.knock()));
	}

	/** Knocks of instances that have no row any more: their sessions are gone. */
	Flux<Knock> orphanKnocks() {
		return this.db.sql("SELECT " + KNOCK_COLUMNS + " FROM knocks k"
						+ " WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = k.instance_id)")
				.map(RoomControlRepository::toKnock)
				.all();
	}

	/** The knocks of one instance's sessions. */
	Flux<Knock> knocksOf(String instanceId) {
		return this.db.sql("SELECT " + KNOCK_COLUMNS + " FROM knocks WHERE instance_id = :instance")
				.bind("instance", instanceId)
				.map(RoomControlRepository::toKnock)
				.all();
	}

	/** The user may not join the room's call again before {@code until}. */
	Mono<Void> rememberRemoval(String slug, String userName, OffsetDateTime until) {
		return this.db.sql("DELETE FROM room_removals WHERE room_slug = :slug AND user_name = :user")
				.bind("slug", slug)
				.bind("user", userName)
				.then()
				.then(this.db.sql("INSERT INTO room_removals (room_slug, user_name, removed_until) VALUES (:slug, :user, :until)")
						.bind("slug", slug)
						.bind("user", userName)
						.bind("until", until)
						.then());
	}

	/** Whether the user was removed from the room's call and may not join yet. */
	Mono<Boolean> isRemoved(String slug, String userName) {
		return this.db.sql("SELECT COUNT(*) AS n FROM room_removals WHERE room_slug = :slug AND user_name = :user"
						+ " AND removed_until > CURRENT_TIMESTAMP")
				.bind("slug", slug)
				.bind("user", userName)
				.map(row -> row.get("n", Long.class) > 0)
				.one();
	}

	private Mono<Void> update(String sql, String slug, Object value) {
		return this.db.sql(sql).bind("value", value).bind("slug", slug).then();
	}

	private static Knock toKnock(Readable row) {
		return new Knock(row.get("id", String.class), row.get("room_slug", String.class),
				row.get("session_id", String.class), row.get("user_name", String.class),
				row.get("screen_name", String.class));
	}
}
