package dev.confab.identity;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code sign_out_epochs} table: how often each user has logged out. A cookie carries the
 * epoch it was issued under and counts only while that is still the user's epoch, so logout
 * revokes every copy of every earlier cookie on every instance. Plain SQL that H2 and
 * PostgreSQL both accept.
 */
@Repository
class SignOutEpochs {

	private final DatabaseClient db;

	SignOutEpochs(DatabaseClient db) {
		this.db = db;
	}

	/** The user's current epoch; 0 for a user who never logged out (no row). */
	Mono<Long> current(UUID userId) {
		return db.sql("SELECT epoch FROM sign_out_epochs WHERE user_id = :id")
			.bind("id", userId)
			.map((row, meta) -> row.get("epoch", Long.class))
			.one()
			.defaultIfEmpty(0L);
	}

	/** Ends every sign-in of the user issued until now: the next epoch. */
	Mono<Void> signOut(UUID userId) {
		return increment(userId).flatMap(updated -> updated > 0 ? Mono.<Void>empty()
				: db.sql("INSERT INTO sign_out_epochs (user_id, epoch) VALUES (:id, 1)")
					.bind("id", userId)
					.then()
					// Two first logouts raced and the other inserted the row: count this one too.
					.onErrorResume(DataIntegrityViolationException.class, ex -> increment(userId).then()));
	}

	private Mono<Long> increment(UUID userId) {
		return db.sql("UPDATE sign_out_epochs SET epoch = epoch + 1 WHERE user_id = :id")
			.bind("id", userId)
			.fetch()
			.rowsUpdated();
	}
}
