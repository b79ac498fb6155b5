package dev.confab.chat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/** Chat messages in the shared database, per room. Portable SQL only (H2 2.x, PostgreSQL 15). */
@Repository
class ChatRepository {

	private final DatabaseClient db;

	ChatRepository(DatabaseClient db) {
		this.db = db;
	}

	/** Stores a message; returns it with its id. */
	Mono<ChatMessage> insert(String roomSlug, String participantId, String screenName, String body, OffsetDateTime sentAt) {
		return this.db.sql("INSERT INTO chat_messages (room_slug, participant_id, screen_name, body, sent_at)"
						+ " VALUES (:room, :participant, :screen, :body, :sent)")
				.filter(statement -> statement.returnGeneratedValues("id"))
				.bind("room", roomSlug)
				.bind("participant", participantId)
				.bind("screen", screenName)
				.bind("body", body)
				.bind("sent", sentAt)
				.map(row -> row.get("id", Long.class))
				.one()
				.map(id -> new ChatMessage(id, participantId, screenName, body, sentAt));
	}

	/**
	 * Deletes all but the room's newest {@code keep} messages: those at or below the id of the
	 * one just past them (none when the room has no more than {@code keep}).
	 */
	Mono<Long> trim(String roomSlug, int keep) {
		return this.db.sql("DELETE FROM chat_messages WHERE room_slug = :room AND id <= (SELECT id FROM chat_messages"
						+ " WHERE room_slug = :room ORDER BY id DESC LIMIT 1 OFFSET :keep)")
				.bind("room", roomSlug)
				.bind("keep", keep)
				.fetch().rowsUpdated();
	}

	/** Whether the room has any message, as committed so far. */
	Mono<Boolean> hasAny(String roomSlug) {
		return this.db.sql("SELECT id FROM chat_messages WHERE room_slug = :room LIMIT 1")
				.bind("room", roomSlug)
				.map(row -> row.get("id", Long.class))
				.first()
				.hasElement();
	}

	/** The room's newest {@code limit} messages, oldest first. */
	Mono<List<ChatMessage>> latest(String roomSlug, int limit) {
		return this.db.sql("SELECT id, participant_id, screen_name, body, sent_at FROM chat_messages"
						+ " WHERE room_slug = :room ORDER BY id DESC LIMIT :limit")
				.bind("room", roomSlug)
				.bind("limit", limit)
				.map(ChatRepository::message)
				.all()
				.collectList()
				.map(newestFirst -> {
					List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
					Collections.reverse(oldestFirst);
					return oldestFirst;
				});
	}

	private static ChatMessage message(Readable row) {
		return new ChatMessage(row.get("id", Long.class), row.get("participant_id", String.class),
				row.get("screen_name", String.class), row.get("body", String.class),
				row.get("sent_at", OffsetDateTime.class));
	}
}
