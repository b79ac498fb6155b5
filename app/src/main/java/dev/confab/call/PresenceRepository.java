package dev.confab.call;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Presence in the shared database: who is in which call, on which instance, and who is away
 * until when. Times compared across instances are the database's. Portable SQL only.
 */
@Repository
class PresenceRepository {

	private static final String COLUMNS = "id, room_slug, session_id, user_name, screen_name, epoch, away_until, hand_raised_at";

	private static final String ROOM_STATE = "owner_user, created_by, locked, waiting_room, capacity";

	private final DatabaseClient db;

	PresenceRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Locks the room's row until the surrounding transaction ends, so that joins, leaves, aways and
	 * resumes of one room happen one at a time on every instance: each sees exactly who came before.
	 * @return the room, empty when it does not exist
	 */
	Mono<LockedRoom> lockRoom(String slug) {
		return this.db.sql("SELECT slug, relay_only, version, " + ROOM_STATE + " FROM rooms WHERE slug = :slug FOR UPDATE")
				.bind("slug", slug)
				.map(row -> new LockedRoom(row.get("slug", String.class),
						Boolean.TRUE.equals(row.get("relay_only", Boolean.class)), row.get("version", Long.class),
						stateOf(row)))
				.one();
	}

	/**
	 * Records a change of the locked room's call: a new roster version, and the room counts as used now
	 * (empty rooms unused for long are cleaned up).
	 * @return the new version
	 */
	Mono<Long> changed(LockedRoom room) {
		long next = room.version() + 1;
		return this.db.sql("UPDATE rooms SET version = :version, last_active_at = CURRENT_TIMESTAMP WHERE slug = :slug")
				.bind("version", next)
				.bind("slug", room.slug())
				.then()
				.thenReturn(next);
	}

	/** {@link #changed}, and the call as it is after the change: what the change's messages tell. */
	Mono<CallNow> changedCall(LockedRoom room) {
		return changed(room).flatMap(version -> callAt(room.slug(), version));
	}

	/** The room's call and state as this transaction sees them, labelled with {@code version}. */
	Mono<CallNow> callAt(String slug, long version) {
		return roomState(slug).zipWith(inRoom(slug).collectList(),
				(state, participants) -> new CallNow(version, participants, state));
	}

	/** A room's call at one roster version: its announced participants, in joining order, and the room's state. */
	record CallNow(long version, List<Participant> participants, RoomState state) {
	}

	/** What the owner controls of the room; empty for a room that does not exist. */
	Mono<RoomState> roomState(String slug) {
		return this.db.sql("SELECT " + ROOM_STATE + " FROM rooms WHERE slug = :slug")
				.bind("slug", slug)
				.map(PresenceRepository::stateOf)
				.one();
	}

	private static RoomState stateOf(Readable row) {
		String creator = String.valueOf(row.get("created_by", UUID.class));
		String owner = row.get("owner_user", String.class);
		return new RoomState(owner == null ? creator : owner, creator,
				Boolean.TRUE.equals(row.get("locked", Boolean.class)),
				Boolean.TRUE.equals(row.get("waiting_room", Boolean.class)), row.get("capacity", Integer.class));
	}

	/** The room's current roster version; empty for a room that does not exist. */
	Mono<Long> version(String slug) {
		return this.db.sql("SELECT version FROM rooms WHERE slug = :slug")
				.bind("slug", slug)
				.map(row -> row.get("version", Long.class))
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

	/** A room whose row this transaction holds, with its roster version and state when locked. */
	record LockedRoom(String slug, boolean relayOnly, long version, RoomState state) {
	}

	/** Everyone the room's call holds, announced or not: what its capacity counts. */
	Mono<Long> count(String slug) {
		return this.db.sql("SELECT COUNT(*) AS n FROM participants WHERE room_slug = :slug")
				.bind("slug", slug)
				.map(row -> row.get("n", Long.class))
				.one();
	}

	/**
	 * Raises (at database time; a hand already up keeps its place) or lowers the participant's hand.
	 * @return true when this changed the row
	 */
	Mono<Boolean> setHand(String participantId, boolean raised) {
		String sql = raised
				? "UPDATE participants SET hand_raised_at = CURRENT_TIMESTAMP WHERE id = :id AND hand_raised_at IS NULL"
				: "UPDATE participants SET hand_raised_at = NULL WHERE id = :id AND hand_raised_at IS NOT NULL";
		return this.db.sql(sql).bind("id", participantId).fetch().rowsUpdated().map(count -> count > 0);
	}

	/** Removes the participant whatever session holds it (the owner removed it). */
	Mono<Boolean> deleteById(String participantId) {
		return this.db.sql("DELETE FROM participants WHERE id = :id")
				.bind("id", participantId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/** The room's call as everyone knows it: participants that were announced, in joining order. */
	Flux<Participant> inRoom(String slug) {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants WHERE room_slug = :slug AND announced"
						+ " ORDER BY joined_at, id")
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

	/** What a resume is checked against: the participant, its secret's hash, and when its grace ends. */
	Mono<StoredParticipant> stored(String id) {
		return this.db.sql("SELECT " + COLUMNS + ", resume_hash FROM participants WHERE id = :id")
				.bind("id", id)
				.map(PresenceRepository::storedParticipant)
				.one();
	}

	/**
	 * {@link #stored}, with the database's clock read in the same query: one round trip, not two,
	 * on the resume's path (a reload waits for it).
	 */
	Mono<StoredAt> storedWithClock(String id) {
		return this.db.sql("SELECT " + COLUMNS + ", resume_hash, CURRENT_TIMESTAMP AS now FROM participants WHERE id = :id")
				.bind("id", id)
				.map(row -> new StoredAt(storedParticipant(row), row.get("now", OffsetDateTime.class)))
				.one();
	}

	/** A stored participant as read at {@code now}, the database's time. */
	record StoredAt(StoredParticipant stored, OffsetDateTime now) {
	}

	private static StoredParticipant storedParticipant(Readable row) {
		return new StoredParticipant(participant(row), row.get("resume_hash", String.class),
				row.get("away_until", OffsetDateTime.class));
	}

	/** A stored participant with what only the server may know. */
	record StoredParticipant(Participant participant, String resumeHash, OffsetDateTime awayUntil) {

		boolean expiredAt(OffsetDateTime now) {
			return this.awayUntil != null && this.awayUntil.isBefore(now);
		}
	}

	Mono<Void> insert(Participant participant, String instanceId, String resumeHash) {
		return this.db.sql("INSERT INTO participants (id, room_slug, session_id, user_name, screen_name, instance_id,"
						+ " joined_at, resume_hash) VALUES (:id, :room, :session, :user, :screen, :instance, :joined, :hash)")
				.bind("id", participant.id())
				.bind("room", participant.roomSlug())
				.bind("session", participant.sessionId())
				.bind("user", participant.userName())
				.bind("screen", participant.screenName())
				.bind("instance", instanceId)
				.bind("joined", OffsetDateTime.now(ZoneOffset.UTC))
				.bind("hash", resumeHash)
				.then();
	}

	/**
	 * The join's second step: the participant, recorded by a committed first step, is now told to the others.
	 * @return false when it is gone already (it left between the two steps)
	 */
	Mono<Boolean> markAnnounced(String participantId, String sessionId) {
		return this.db.sql("UPDATE participants SET announced = TRUE WHERE id = :id AND session_id = :session")
				.bind("id", participantId)
				.bind("session", sessionId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/**
	 * The participant of that session turns away until {@code until}; an earlier deadline already set
	 * (a page that said it unloads) stays.
	 * @return true when this changed the row
	 */
	Mono<Boolean> markAway(String participantId, OffsetDateTime until) {
		return this.db.sql("UPDATE participants SET away_until = :until"
						+ " WHERE id = :id AND (away_until IS NULL OR away_until > :until)")
				.bind("until", until)
				.bind("id", participantId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/** Moves the participant to a new session and instance: no longer away; a fresh page counts one more epoch. */
	Mono<Void> resume(String participantId, String sessionId, String instanceId, boolean freshPage) {
		return this.db.sql("UPDATE participants SET session_id = :session, instance_id = :instance, away_until = NULL,"
						+ " epoch = epoch + :bump WHERE id = :id")
				.bind("session", sessionId)
				.bind("instance", instanceId)
				.bind("bump", freshPage ? 1 : 0)
				.bind("id", participantId)
				.then();
	}

	/**
	 * Deletes the participant while that session still holds it: after a resume moved it on, the
	 * old session's leave changes nothing.
	 * @return true when this call removed the row; false when it was already gone (leave seen twice) or moved on
	 */
	Mono<Boolean> delete(String participantId, String sessionId) {
		return this.db.sql("DELETE FROM participants WHERE id = :id AND session_id = :session")
				.bind("id", participantId)
				.bind("session", sessionId)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/** Like {@link #delete}, only while the participant is still away past its grace (a resume may have won). */
	Mono<Boolean> deleteExpired(String participantId, OffsetDateTime now) {
		return this.db.sql("DELETE FROM participants WHERE id = :id AND away_until < :now")
				.bind("id", participantId)
				.bind("now", now)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/** Participants away past their grace. */
	Flux<Participant> expired(OffsetDateTime now) {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants WHERE away_until < :now ORDER BY away_until, id")
				.bind("now", now)
				.map(PresenceRepository::participant)
				.all();
	}

	/** Participants of instances that have no row any more (dead, and claimed by a survivor) not yet away. */
	Flux<Participant> orphans() {
		return this.db.sql("SELECT " + COLUMNS + " FROM participants p WHERE p.away_until IS NULL"
						+ " AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = p.instance_id) ORDER BY joined_at, id")
				.map(PresenceRepository::participant)
				.all();
	}

	private static Participant participant(Readable row) {
		Integer epoch = row.get("epoch", Integer.class);
		return new Participant(row.get("id", String.class), row.get("room_slug", String.class),
				row.get("session_id", String.class), row.get("user_name", String.class),
				row.get("screen_name", String.class), epoch == null ? 0 : epoch,
				row.get("away_until", OffsetDateTime.class) != null, row.get("hand_raised_at", OffsetDateTime.class));
	}
}
