package dev.confab.cluster;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The heartbeat's own connection to the database, apart from the pool that every request shares.
 * When requests queue for that pool (an overload: joins, leaves, lobby renders), this instance's
 * row still gets its beat on time, so neither the others nor its own sweep take a busy instance
 * for a dead one and end all its sessions (issue 12). Not a {@link ConnectionFactory} bean: Boot
 * would then back off from making the shared pool.
 */
@Component
public final class HeartbeatDatabase implements DisposableBean {

	/** A beat, a sweep and a claim run one after the other on the heartbeat's thread. */
	private static final int CONNECTIONS = 1;

	/** A connection the database dropped is replaced by the next beat; an idle one is kept. */
	private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

	private final ConnectionPool pool;

	private final DatabaseClient client;

	HeartbeatDatabase(R2dbcProperties properties) {
		this.pool = new ConnectionPool(ConnectionPoolConfiguration.builder(unpooled(properties))
			.initialSize(0)
			.minIdle(0)
			.maxSize(CONNECTIONS)
			.maxAcquireTime(ACQUIRE_TIMEOUT)
			.validationQuery("SELECT 1")
			.build());
		this.client = DatabaseClient.create(this.pool);
	}

	/** New connections to the database Boot's pool connects to, with its user and password. */
	public static ConnectionFactory unpooled(R2dbcProperties properties) {
		ConnectionFactoryBuilder builder = ConnectionFactoryBuilder.withUrl(properties.getUrl());
		if (properties.getUsername() != null) {
			builder = builder.username(properties.getUsername());
		}
		if (properties.getPassword() != null) {
			builder = builder.password(properties.getPassword());
		}
		return builder.build();
	}

	DatabaseClient client() {
		return this.client;
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}
}
