package dev.confab.call;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Presence in the shared database: who is in which call, on which instance. Portable SQL only. */
@Repository
class PresenceRepository {

	private static final String COLUMNS = "id, room_slug, session_id, user_name, screen_name";

	private final DatabaseClient db;

	PresenceRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Locks the room's row until the surrounding transaction ends, so that joins and leaves of one
	 * room happen one at a time on every instance: each joiner sees exactly who came before it.
	 * @return the room, empty when it does not exist
	 */
	Mono<LockedRoom> lockRoom(String slug) {
		return this.db.sql("SELECT name, relay_only FROM rooms WHERE slug = :slug FOR UPDATE")
				.bind("slug", slug)
				.map(row -> new LockedRoom(row.get("name", String.class), Boolean.TRUE.equals(row.get("relay_only", Boolean.class))))
				.one();
	}

	/** Whether the room allows TURN relays only; false for a room that is gone. */
	Mono<Boolean> isRelayOnly(String slug) {
		return this.db.sql("SELECT relay_only FROM rooms WHERE slug = :slug")
				.bind("slug", slug)
				.map(row -> Boolean.TRUE.equals(row.get("relay_only", Boolean.class)))
				.one()
				.defaultIfEmpty(false);
	}

	/** A room whose row this transaction holds. */
	record LockedRoom(String name, boolean relayOnly) {
	}

	Flux<Participant> inRoom(String slug) {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants WHERE room_slug = :slug ORDER BY joined_at, id")
				.bind("slug", slug)
				.map(PresenceRepository::participant)
				.all();
	}

	Mono<Participant> bySession(String sessionId) {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants WHERE session_id = :session")
				.bind("session", sessionId)
				.map(PresenceRepository::participant)
				.one();
	}

	Mono<Participant> byId(String id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants WHERE id = :id")
				.bind("id", id)
				.map(PresenceRepository::participant)
				.one();
	}

	Mono<Void> insert(Participant participant, String instanceId) {
		return this.db.sql("INSERT INTO participants (id, room_slug, session_id, user_name, screen_name, instance_id, joined_at)"
						+ " VALUES (:id, :room, :session, :user, :screen, :instance, :joined)")
				.bind("id", participant.id())
				.bind("room", participant.roomSlug())
				.bind("session", participant.sessionId())
				.bind("user", participant.userName())
				.bind("screen", participant.screenName())
				.bind("instance", instanceId)
				.bind("joined", OffsetDateTime.now(ZoneOffset.UTC))
				.then();
	}

	/** @return true when this call removed the row; false when it was already gone (leave seen twice) */
	Mono<Boolean> delete(String participantId) {
		return this.db.sql("DELETE FROM participants WHERE id = :id")
				.bind("id", participantId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/** Participants of instances that have no row any more: dead, and claimed by a survivor. */
	Flux<Participant> orphans() {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants p"
						+ " WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = p.instance_id) ORDER BY joined_at, id")
				.map(PresenceRepository::participant)
				.all();
	}

	/** Marks the room as used now; empty rooms unused for long are cleaned up. */
	Mono<Void> touchRoom(String slug) {
		return this.db.sql("UPDATE rooms SET last_active_at = CURRENT_TIMESTAMP WHERE slug = :slug")
				.bind("slug", slug)
				.then();
	}

	private static Participant participant(Readable row) {
		return new Participant(row.get("id", String.class), row.get("room_slug", String.class),
				row.get("session_id", String.class), row.get("user_name", String.class),
				row.get("screen_name", String.class));
	}
}
