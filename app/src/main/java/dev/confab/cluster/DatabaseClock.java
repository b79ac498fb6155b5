package dev.confab.cluster;

import java.time.OffsetDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The shared database's clock. Deadlines that several instances compare (heartbeats, room
 * activity) are measured on it, so instances whose own clocks differ still agree.
 */
@Component
public class DatabaseClock {

	private final DatabaseClient db;

	DatabaseClock(DatabaseClient db) {
		this.db = db;
	}

	public Mono<OffsetDateTime> now() {
		return this.db.sql("SELECT CURRENT_TIMESTAMP AS now").map(row -> row.get("now", OffsetDateTime.class)).one();
	}
}
