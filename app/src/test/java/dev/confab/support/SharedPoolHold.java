package dev.confab.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every connection of the instance's shared database pool, held by the test: an overload as the
 * instance meets it, each request that needs the database waiting behind the others.
 */
public final class SharedPoolHold implements AutoCloseable {

	private final List<Connection> taken = new ArrayList<>();

	private SharedPoolHold() {
	}

	/** Takes them all, and checks that none is left. */
	public static SharedPoolHold takeEveryConnection(ConnectionFactory shared, R2dbcProperties properties) {
		SharedPoolHold hold = new SharedPoolHold();
		int size = properties.getPool().getMaxSize();
		for (int i = 0; i < size; i++) {
			hold.taken.add(Mono.from(shared.create()).block(Duration.ofSeconds(10)));
		}
		assertThat(Mono.from(shared.create()).map(c -> true).timeout(Duration.ofMillis(300), Mono.just(false))
			.block()).as("the shared pool is exhausted").isFalse();
		return hold;
	}

	/** Gives them back; the requests waiting for them go on. */
	@Override
	public void close() {
		Flux.fromIterable(this.taken).concatMap(Connection::close).blockLast(Duration.ofSeconds(10));
		this.taken.clear();
	}
}
