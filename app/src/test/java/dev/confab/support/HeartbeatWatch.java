package dev.confab.support;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;

import dev.confab.cluster.HeartbeatDatabase;

/** What another instance sees of one's heartbeat: a connection of its own to the same database. */
public final class HeartbeatWatch implements AutoCloseable {

	private final Connection connection;

	public HeartbeatWatch(R2dbcProperties properties) {
		ConnectionFactory own = HeartbeatDatabase.unpooled(properties);
		this.connection = Mono.from(own.create()).block(Duration.ofSeconds(10));
	}

	/** How old the instance's heartbeat is by the database's clock; a day when its row is gone. */
	public Duration age(String instanceId) {
		return Mono.from(this.connection
				.createStatement("SELECT CURRENT_TIMESTAMP AS now, heartbeat_at FROM instances WHERE id = $1")
				.bind(0, instanceId)
				.execute())
			.flatMap(result -> Mono.from(result.map((row, meta) -> Duration.between(
					row.get("heartbeat_at", OffsetDateTime.class), row.get("now", OffsetDateTime.class)))))
			.defaultIfEmpty(Duration.ofDays(1))
			.block(Duration.ofSeconds(10));
	}

	@Override
	public void close() {
		Mono.from(this.connection.close()).block(Duration.ofSeconds(10));
	}
}
