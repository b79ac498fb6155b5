package dev.confab.identity;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** The {@code users} table, through plain SQL that H2 and PostgreSQL both accept. */
@Repository
class UserStore {

	private final DatabaseClient db;

	UserStore(DatabaseClient db) {
		this.db = db;
	}

	Mono<StoredUser> findByRealNameKey(String realNameKey) {
		return db.sql("SELECT id, screen_name, screen_name_key FROM users WHERE real_name_key = :key")
			.bind("key", realNameKey)
			.map((row, meta) -> new StoredUser(row.get("id", UUID.class), row.get("screen_name", String.class),
					row.get("screen_name_key", String.class)))
			.one();
	}

	Mono<Boolean> existsByScreenNameKey(String screenNameKey) {
		return db.sql("SELECT 1 FROM users WHERE screen_name_key = :key")
			.bind("key", screenNameKey)
			.map((row, meta) -> Boolean.TRUE)
			.first()
			.defaultIfEmpty(Boolean.FALSE);
	}

	/** Fails with a {@code DataIntegrityViolationException} when any key is taken meanwhile. */
	Mono<Void> insert(UUID id, ScreenName screenName, RealName realName) {
		return db.sql("INSERT INTO users (id, screen_name, screen_name_key, screen_name_skeleton, real_name_key)"
				+ " VALUES (:id, :screenName, :screenNameKey, :screenNameSkeleton, :realNameKey)")
			.bind("id", id)
			.bind("screenName", screenName.value())
			.bind("screenNameKey", screenName.key())
			.bind("screenNameSkeleton", screenName.skeleton())
			.bind("realNameKey", realName.key())
			.then();
	}

	record StoredUser(UUID id, String screenName, String screenNameKey) {
	}
}
