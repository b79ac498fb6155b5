package dev.confab.scale;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.confab.e2e.Waits;
import dev.confab.support.RawStompSocket;
import dev.confab.support.StompTestClient;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;
import dev.confab.support.services.TestRabbitMq;

import static dev.confab.scale.CallAssertions.joinAfter;
import static dev.confab.scale.CallAssertions.joinAlone;
import static dev.confab.scale.CallAssertions.nothingElse;
import static dev.confab.scale.CallAssertions.seesLeave;
import static dev.confab.scale.CallAssertions.seesNewcomer;
import static dev.confab.scale.CallAssertions.seesSignal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * RabbitMQ stopped ({@code rabbitmqctl stop_app}) and started again during a call: the instances
 * say they are not ready meanwhile, tell their clients, refuse work quickly instead of hanging,
 * and serve calls again once the broker is back, without a restart.
 * <p>
 * Stops the RabbitMQ node the tests were given (on a developer machine: the machine's own) for a
 * few seconds; it is started again whatever happens.
 */
class BrokerRestartIT {

	/** How quickly "quickly" is: a hanging send would take the clients' 10 s timeouts or longer. */
	private static final Duration FAIL_FAST = Duration.ofSeconds(5);

	private static final Duration NOTICE = Duration.ofSeconds(20);

	private static final Duration RECOVERY = Duration.ofSeconds(60);

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static ConfabInstance a;

	static ConfabInstance b;

	@BeforeAll
	static void startTwoInstances() {
		// A short grace: the participants of the sessions the outage ended wait for a resume that these
		// clients (which do not resume) never send, and then leave.
		List<ConfabInstance> started = cluster.start(Map.of("CONFAB_CALL_RESUME_GRACE", "2s",
				"CONFAB_CALL_UNLOAD_GRACE", "1s"), "a", "b");
		a = started.get(0);
		b = started.get(1);
	}

	@Test
	void instancesAndClientsRecoverWhenRabbitMqStopsAndStartsAgain() throws Exception {
		HttpLogin login = new HttpLogin(a.baseUrl());
		String aliceCookie = login.login("alice");
		String bobCookie = login.login("bob");
		String room = login.createRoom(aliceCookie, "Broker restart");
		long pidA = a.pid();
		long pidB = b.pid();

		StompTestClient alice = StompTestClient.connect(a.port(), aliceCookie);
		StompTestClient bob = StompTestClient.connect(b.port(), bobCookie);
		String aliceId = joinAlone(alice, room, "alice");
		String bobId = joinAfter(bob, room, "bob", List.of(aliceId), List.of("alice"));
		seesNewcomer(alice, bobId, "bob");

		TestRabbitMq rabbit = cluster.rabbit();
		try {
			rabbit.stopBroker();

			for (StompTestClient client : List.of(alice, bob)) {
				Waits.until("a client's STOMP session ended after the broker stopped", NOTICE,
						client::isConnected, connected -> !connected);
			}
			for (ConfabInstance instance : List.of(a, b)) {
				Waits.until("instance " + instance.name() + " not ready while the broker is down", NOTICE,
						instance::readiness, status -> status == 503);
				assertThat(instance.liveness()).as("instance %s still alive", instance.name()).isEqualTo(200);
			}

			joinFailsFast(a, aliceCookie, room);
			joinFailsFast(b, bobCookie, room);

			// A page whose handling publishes (the lobby) answers promptly, whatever it answers.
			long posting = System.nanoTime();
			try {
				login.createRoom(aliceCookie, "During the outage");
			}
			catch (AssertionError refused) {
				// refusing is fine; hanging is not
			}
			assertThat(Duration.ofNanos(System.nanoTime() - posting)).as("POST /rooms while the broker is down")
					.isLessThan(FAIL_FAST);
		}
		finally {
			rabbit.startBroker();
		}

		for (ConfabInstance instance : List.of(a, b)) {
			Waits.until("instance " + instance.name() + " ready again after the broker came back", RECOVERY,
					instance::readiness, status -> status == 200);
		}
		assertThat(List.of(a.pid(), b.pid())).as("same processes: no restart").containsExactly(pidA, pidB);
		assertThat(a.isAlive() && b.isAlive()).isTrue();

		// The participants of the lost sessions leave once their grace is over; then the clients
		// reconnect: new sessions on both instances, a call as if nothing had happened.
		Waits.until("the participants of the lost sessions gone after their grace", RECOVERY,
				() -> cluster.database().queryForLong("SELECT COUNT(*) FROM participants WHERE room_slug = ?", room),
				count -> count == 0);
		try (StompTestClient alice2 = StompTestClient.connect(a.port(), aliceCookie);
				StompTestClient bob2 = StompTestClient.connect(b.port(), bobCookie)) {
			String alice2Id = joinAlone(alice2, room, "alice");
			String bob2Id = joinAfter(bob2, room, "bob", List.of(alice2Id), List.of("alice"));
			seesNewcomer(alice2, bob2Id, "bob");

			alice2.send("/app/signal", "{\"to\":\"" + bob2Id + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
			seesSignal(bob2, alice2Id);
			bob2.send("/app/signal", "{\"to\":\"" + alice2Id + "\",\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
			seesSignal(alice2, bob2Id);

			bob2.send("/app/room/" + room + "/leave", "{}");
			seesLeave(alice2, bob2Id);
			nothingElse(alice2, bob2);
		}
		alice.close();
		bob.close();
	}

	/**
	 * A new STOMP session that connects and joins while the broker is down gets an ERROR frame or a
	 * closed socket (or a refused handshake) within {@link #FAIL_FAST}, and never a join sequence.
	 */
	private static void joinFailsFast(ConfabInstance instance, String cookie, String room) throws Exception {
		long start = System.nanoTime();
		List<String> frames = new ArrayList<>();
		RawStompSocket raw;
		try {
			raw = RawStompSocket.open(instance.port(), cookie);
		}
		catch (Exception refused) {
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("handshake refused on %s", instance.name())
					.isLessThan(FAIL_FAST);
			return;
		}
		try (raw) {
			try {
				raw.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0")
						.send("SUBSCRIBE\nid:0\ndestination:/user/queue/events\n\n\0")
						.send("SEND\ndestination:/app/room/" + room + "/join\ncontent-type:application/json\n\n{}\0");
			}
			catch (CompletionException closedMeanwhile) {
				// The server refused the CONNECT and closed the socket before the next frames went out: failing fast.
				assertThat(closedMeanwhile).hasRootCauseInstanceOf(IOException.class);
			}
			while (true) {
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				if (raw.isClosed()) {
					break;
				}
				if (elapsed.compareTo(FAIL_FAST) > 0) {
					fail("A join on " + instance.name() + " while the broker is down got neither ERROR nor a closed socket"
							+ " within " + FAIL_FAST.toSeconds() + " s; frames: " + frames);
				}
				try {
					String frame = raw.next(Duration.ofMillis(100));
					frames.add(frame);
					assertThat(frame).as("on %s while the broker is down", instance.name()).doesNotStartWith("MESSAGE");
					if (frame.startsWith("ERROR")) {
						break;
					}
				}
				catch (AssertionError nothingYet) {
					if (nothingYet.getMessage() == null || !nothingYet.getMessage().startsWith("No frame")) {
						throw nothingYet;
					}
				}
			}
			System.out.println("[confab-it] join on " + instance.name() + " with the broker down: "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms, frames " + frames
					+ (raw.isClosed() ? ", socket closed" : ""));
		}
	}
}
