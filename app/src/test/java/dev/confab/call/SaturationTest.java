package dev.confab.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.test.context.TestPropertySource;

import dev.confab.cluster.ClusterInstance;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.HeartbeatWatch;
import dev.confab.support.SharedPoolHold;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static dev.confab.call.CallSignalingTest.joinAfterOthers;
import static dev.confab.call.CallSignalingTest.joinAlone;
import static dev.confab.call.CallSignalingTest.seesJoin;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance whose inbound path is saturated (issue 12): its database is taken up, and sessions
 * flood it with requests that need the database. It sheds them with ERRORs instead of queueing
 * them, stays in the cluster (its heartbeat on time, as another instance reads it), and a call
 * already running goes on, its signals routed from memory; once the database is back, joins work.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.cluster.heartbeat-interval=200ms", "confab.cluster.instance-timeout=1s",
		"confab.call.requests-in-flight=12", "confab.call.requests-in-flight-per-session=8"})
class SaturationTest {

	private static final int FLOODERS = 4;

	/** More than a session may have in flight: each flooder is shed by its own limit, or by the instance's. */
	private static final int FLOOD = 30;

	@Autowired
	TestCalls calls;

	@Autowired
	ConnectionFactory shared;

	@Autowired
	R2dbcProperties properties;

	@Autowired
	ClusterInstance instance;

	@Autowired
	RequestGate gate;

	@Test
	void floodedWhileTheDatabaseIsTakenUpItShedsKeepsItsCallAndItsPlace() throws Exception {
		String room = this.calls.room("saturated");
		try (StompTestClient alice = this.calls.connect("alice"); StompTestClient bob = this.calls.connect("bob");
				HeartbeatWatch others = new HeartbeatWatch(this.properties)) {
			String aliceId = joinAlone(alice, room);
			String bobId = joinAfterOthers(bob, room);
			seesJoin(alice, bobId);
			List<StompTestClient> flooders = new ArrayList<>();
			for (int i = 0; i < FLOODERS; i++) {
				flooders.add(this.calls.connect("flood" + i));
			}
			List<Duration> ages = new ArrayList<>();
			List<Integer> pending = new ArrayList<>();
			try (SharedPoolHold hold = SharedPoolHold.takeEveryConnection(this.shared, this.properties)) {
				for (StompTestClient flooder : flooders) {
					flood(flooder, "/app/room/" + room + "/roster");
				}
				for (StompTestClient flooder : flooders) {
					assertThat(flooder.awaitError()).as("a flooder is shed, and asked to come back later")
						.isIn(RequestGate.SESSION_BUSY, RequestGate.INSTANCE_BUSY);
				}
				for (int i = 0; i < 10; i++) {
					alice.send("/app/signal", "{\"to\":\"" + bobId + "\",\"candidate\":{\"candidate\":\"candidate:" + i
							+ " 1 udp 1 127.0.0.1 5000 typ host\"}}");
					assertThat(rtc(bob.next(Duration.ofSeconds(2)), "signal").get("from").asString())
						.as("signal %d, sent while the database is taken up", i).isEqualTo(aliceId);
					ages.add(others.age(this.instance.id()));
					pending.add(pendingAcquires());
					Thread.sleep(150);
				}
				assertThat(this.gate.inFlight()).as("requests waiting on the database").isLessThanOrEqualTo(12);
			}

			assertThat(ages).as("this instance's heartbeat age, read by another connection")
				.allSatisfy(age -> assertThat(age).isLessThan(Duration.ofMillis(800)));
			// Unbounded, the flood would queue FLOODERS x FLOOD requests; each shed session's close adds one update.
			assertThat(pending).as("requests queued for a database connection: the instance's limit, the closes, the sweep")
				.allSatisfy(queued -> assertThat(queued).isLessThanOrEqualTo(12 + FLOODERS + 2));
			assertThat(alice.describeState()).isEqualTo("connected");
			assertThat(bob.describeState()).isEqualTo("connected");
			try (StompTestClient cy = this.calls.connect("cy")) {
				joinAfterOthers(cy, room);
			}
			flooders.forEach(StompTestClient::close);
		}
	}

	/** Sends until the server closes the session (a send on a closed one fails). */
	private static void flood(StompTestClient flooder, String destination) {
		try {
			for (int i = 0; i < FLOOD && flooder.isConnected(); i++) {
				flooder.send(destination, "{}");
			}
		}
		catch (RuntimeException closed) {
			assertThat(flooder.isConnected()).as("a send failed on an open session: " + closed).isFalse();
		}
	}

	private int pendingAcquires() {
		assertThat(this.shared).as("Boot's pooled connection factory").isInstanceOf(ConnectionPool.class);
		return ((ConnectionPool) this.shared).getMetrics().orElseThrow().pendingAcquireSize();
	}
}
