package dev.confab.cluster;

import java.time.Duration;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code instances} table, on the heartbeat's own connection ({@link HeartbeatDatabase}).
 * Every time is the database's, so instances whose clocks differ still agree on who is late.
 */
@Repository
class InstanceRepository {

	private final DatabaseClient db;

	/** The database's clock, read on the heartbeat's connection too. */
	private final DatabaseClock clock;

	InstanceRepository(HeartbeatDatabase database) {
		this.db = database.client();
		this.clock = new DatabaseClock(this.db);
	}

	Mono<Void> register(String id) {
		return this.db.sql("INSERT INTO instances (id, started_at, heartbeat_at) VALUES (:id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
				.bind("id", id)
				.then();
	}

	/** @return false when the row is gone: the others declared this instance dead */
	Mono<Boolean> heartbeat(String id) {
		return this.db.sql("UPDATE instances SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = :id")
				.bind("id", id)
				.fetch().rowsUpdated()
				.map(count -> count > 0);
	}

	/**
	 * Claims the other instances silent for longer than the timeout, by deleting their rows. Only
	 * one caller can delete a row, so only one survivor claims each dead instance, even when several
	 * look at once. Never the caller itself: whatever made its own beat late, it is alive.
	 * @return the instances this caller claimed
	 */
	Flux<String> claimSilent(String self, Duration timeout) {
		return this.clock.now().map(now -> now.minus(timeout)).flatMapMany(cutoff -> this.db
				.sql("SELECT id FROM instances WHERE heartbeat_at < :cutoff AND id <> :self")
				.bind("cutoff", cutoff)
				.bind("self", self)
				.map(row -> row.get("id", String.class))
				.all()
				.filterWhen(id -> this.db.sql("DELETE FROM instances WHERE id = :id AND heartbeat_at < :cutoff")
						.bind("id", id)
						.bind("cutoff", cutoff)
						.fetch().rowsUpdated()
						.map(count -> count > 0)));
	}

	/** Every other instance, claimed at once: only for the embedded broker, where no other can be alive. */
	Flux<String> claimAllBut(String id) {
		return this.db.sql("SELECT id FROM instances WHERE id <> :id")
				.bind("id", id)
				.map(row -> row.get("id", String.class))
				.all()
				.filterWhen(other -> this.db.sql("DELETE FROM instances WHERE id = :id").bind("id", other)
						.fetch().rowsUpdated().map(count -> count > 0));
	}

	Mono<Void> deregister(String id) {
		return this.db.sql("DELETE FROM instances WHERE id = :id").bind("id", id).then();
	}
}
