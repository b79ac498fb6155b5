package dev.confab.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.HeartbeatWatch;
import dev.confab.support.SharedPoolHold;
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

	@Test
	void theRowStaysFreshWhileTheSharedPoolIsExhaustedAndTheSessionsStay() throws Exception {
		try (StompTestClient alice = this.calls.connect("alice"); HeartbeatWatch others = new HeartbeatWatch(this.properties)) {
			List<Duration> ages = new ArrayList<>();
			try (SharedPoolHold hold = SharedPoolHold.takeEveryConnection(this.shared, this.properties)) {
				long end = System.nanoTime() + BUSY.toNanos();
				while (System.nanoTime() < end) {
					ages.add(others.age(this.instance.id()));
					Thread.sleep(100);
				}
			}

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
}
