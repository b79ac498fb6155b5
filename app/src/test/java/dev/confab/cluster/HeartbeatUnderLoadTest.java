package dev.confab.cluster;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance whose shared database pool is taken up (an overload: every connection busy, requests
 * queued behind them) keeps its heartbeat on time, as another instance reading the table sees
 * it, so it is never declared dead, and its sessions go on (issue 12). And it never claims itself.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.cluster.heartbeat-interval=200ms", "confab.cluster.instance-timeout=1s"})
class HeartbeatUnderLoadTest {

	/** Three instance timeouts with every shared connection taken. */
	private static final Duration BUSY = Duration.ofSeconds(3);

	@Autowired
	ConnectionFactory shared;

	@Autowired
	R2dbcProperties properties;

	@Autowired
	ClusterInstance instance;

	@Autowired
	InstanceRepository instances;

	@Autowired
	TestCalls calls;

	private final List<Connection> taken = new ArrayList<>();

	@AfterEach
	void giveBack() {
		Flux.fromIterable(this.taken).concatMap(Connection::close).blockLast(Duration.ofSeconds(10));
		this.taken.clear();
	}

	@Test
	void theRowStaysFreshWhileTheSharedPoolIsExhaustedAndTheSessionsStay() throws Exception {
		try (StompTestClient alice = this.calls.connect("alice"); Observer others = new Observer(this.properties)) {
			takeEverySharedConnection();

			List<Duration> ages = new ArrayList<>();
			long end = System.nanoTime() + BUSY.toNanos();
			while (System.nanoTime() < end) {
				ages.add(others.heartbeatAge(this.instance.id()));
				Thread.sleep(100);
			}
			giveBack();

			assertThat(ages).as("age of this instance's heartbeat, read by another connection, every 100 ms")
				.hasSizeGreaterThan(10)
				.allSatisfy(age -> assertThat(age).isLessThan(Duration.ofMillis(800)));
			assertThat(alice.drain(Duration.ofMillis(500))).as("no ERROR, no message: nothing happened to the session")
				.isEmpty();
			assertThat(alice.describeState()).isEqualTo("connected");
		}
	}

	@Test
	void anInstanceNeverClaimsItselfHoweverLateItsOwnRowLooks() {
		List<String> claimed = this.instances.claimSilent(this.instance.id(), Duration.ofSeconds(-60))
			.collectList().block(Duration.ofSeconds(10));

		assertThat(claimed).as("every row is 'silent' for a timeout of -60 s; this instance's is not claimed")
			.doesNotContain(this.instance.id());
		assertThat(this.instances.heartbeat(this.instance.id()).block(Duration.ofSeconds(10))).isTrue();
	}

	private void takeEverySharedConnection() {
		int size = this.properties.getPool().getMaxSize();
		for (int i = 0; i < size; i++) {
			this.taken.add(Mono.from(this.shared.create()).block(Duration.ofSeconds(10)));
		}
		// None left: a request for one waits.
		assertThat(Mono.from(this.shared.create()).map(c -> true).timeout(Duration.ofMillis(300), Mono.just(false))
			.block()).as("the shared pool is exhausted").isFalse();
	}

	/** What another instance sees: a connection of its own to the same database. */
	private static final class Observer implements AutoCloseable {

		private final ConnectionFactory connections;

		private final Connection connection;

		Observer(R2dbcProperties properties) {
			this.connections = HeartbeatDatabase.unpooled(properties);
			this.connection = Mono.from(this.connections.create()).block(Duration.ofSeconds(10));
		}

		Duration heartbeatAge(String id) {
			return Mono.from(this.connection
					.createStatement("SELECT CURRENT_TIMESTAMP AS now, heartbeat_at FROM instances WHERE id = $1")
					.bind(0, id)
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
}
