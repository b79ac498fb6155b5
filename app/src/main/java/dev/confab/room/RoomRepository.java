package dev.confab.room;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.confab.cluster.DatabaseClock;

@Repository
class RoomRepository {

	private final DatabaseClient db;

	private final DatabaseClock clock;

	RoomRepository(DatabaseClient db, DatabaseClock clock) {
		this.db = db;
		this.clock = clock;
	}

	Mono<Room> find(String slug) {
		return this.db.sql("SELECT slug, name, relay_only FROM rooms WHERE slug = :slug")
				.bind("slug", slug)
				.map(row -> new Room(row.get("slug", String.class), row.get("name", String.class),
						Boolean.TRUE.equals(row.get("relay_only", Boolean.class))))
				.one();
	}

	/** Creates the room unless one with that slug exists (keeping its settings); either way returns the stored room. */
	Mono<Room> createOrFind(Room room, UUID creator) {
		return find(room.slug()).switchIfEmpty(Mono.defer(() -> this.db
				.sql("INSERT INTO rooms (slug, name, relay_only, created_by, owner_user, created_at)"
						+ " VALUES (:slug, :name, :relay, :creator, :owner, :at)")
				.bind("slug", room.slug())
				.bind("name", room.name())
				.bind("relay", room.relayOnly())
				.bind("creator", creator)
				.bind("owner", creator.toString())
				.bind("at", OffsetDateTime.now(ZoneOffset.UTC))
				.then()
				.thenReturn(room)
				// Two people creating the same room at once: the second insert loses, the room exists.
				.onErrorResume(ex -> find(room.slug()))));
	}

	/**
	 * Deletes rooms without participants that nobody joined or left within the retention time.
	 * One statement: a join that locked the room first updates last_active_at, so the row no longer matches.
	 */
	Mono<Long> deleteEmptySince(Duration retention) {
		return this.clock.now()
				.flatMap(now -> this.db.sql("DELETE FROM rooms WHERE last_active_at < :cutoff"
								+ " AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.room_slug = rooms.slug)")
						.bind("cutoff", now.minus(retention))
						.fetch().rowsUpdated());
	}

	/** Busy rooms first, then the newest. */
	Flux<RoomSummary> lobby(int limit) {
		return this.db.sql("SELECT r.slug, r.name, r.relay_only, r.locked, COUNT(p.id) AS n FROM rooms r"
						+ " LEFT JOIN participants p ON p.room_slug = r.slug"
						+ " GROUP BY r.slug, r.name, r.relay_only, r.locked, r.created_at ORDER BY n DESC, r.created_at DESC LIMIT :limit")
				.bind("limit", limit)
				.map(row -> new RoomSummary(row.get("slug", String.class), row.get("name", String.class),
						row.get("n", Long.class), Boolean.TRUE.equals(row.get("relay_only", Boolean.class)),
						Boolean.TRUE.equals(row.get("locked", Boolean.class))))
				.all();
	}
}
