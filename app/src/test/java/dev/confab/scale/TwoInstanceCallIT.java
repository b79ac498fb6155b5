package dev.confab.scale;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

import dev.confab.e2e.Waits;
import dev.confab.support.MetricsScrape;
import dev.confab.support.StompTestClient;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static dev.confab.scale.CallAssertions.joinAfter;
import static dev.confab.scale.CallAssertions.joinAlone;
import static dev.confab.scale.CallAssertions.nothingElse;
import static dev.confab.scale.CallAssertions.seesLeave;
import static dev.confab.scale.CallAssertions.seesNewcomer;
import static dev.confab.scale.CallAssertions.seesSignal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances on one RabbitMQ and one PostgreSQL, participants spread over both: a call must not
 * care which instance each one landed on.
 */
class TwoInstanceCallIT {

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static ConfabInstance a;

	static ConfabInstance b;

	@BeforeAll
	static void startTwoInstances() {
		List<ConfabInstance> started = cluster.start("a", "b");
		a = started.get(0);
		b = started.get(1);
	}

	@Test
	void theJoinSequenceSignalsAndLeavesWorkAcrossInstances() throws Exception {
		// Cookies from one instance are good on the other: one signing key.
		String aliceCookie = new HttpLogin(a.baseUrl()).login("alice");
		String bobCookie = new HttpLogin(b.baseUrl()).login("bob");
		String carolCookie = new HttpLogin(a.baseUrl()).login("carol");
		String room = new HttpLogin(b.baseUrl()).createRoom(bobCookie, "Across instances");

		try (StompTestClient alice = StompTestClient.connect(a.port(), aliceCookie);
				StompTestClient bob = StompTestClient.connect(b.port(), bobCookie);
				StompTestClient carol = StompTestClient.connect(a.port(), carolCookie)) {
			String aliceId = joinAlone(alice, room, "alice");

			String bobId = joinAfter(bob, room, "bob", List.of(aliceId), List.of("alice"));
			seesNewcomer(alice, bobId, "bob");

			String carolId = joinAfter(carol, room, "carol", List.of(aliceId, bobId), List.of("alice", "bob"));
			seesNewcomer(alice, carolId, "carol");
			seesNewcomer(bob, carolId, "carol");
			nothingElse(alice, bob, carol);

			assertThat(instanceOf(aliceId)).as("alice and carol share instance a's id")
					.isEqualTo(instanceOf(carolId)).isNotEqualTo(instanceOf(bobId));

			// Signals both ways between the instances, each reaching only its recipient.
			alice.send("/app/signal", "{\"to\":\"" + bobId + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
			JsonNode offer = seesSignal(bob, aliceId);
			assertThat(offer.get("description").get("type").asString()).isEqualTo("offer");
			assertThat(offer.get("description").get("sdp").asString()).isEqualTo("v=0\r\n");

			bob.send("/app/signal", "{\"to\":\"" + aliceId + "\",\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
			assertThat(seesSignal(alice, bobId).get("description").get("type").asString()).isEqualTo("answer");

			carol.send("/app/signal", "{\"to\":\"" + bobId + "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
			assertThat(seesSignal(bob, carolId).get("candidate").get("sdpMid").asString()).isEqualTo("0");

			bob.send("/app/signal", "{\"to\":\"" + carolId + "\",\"candidate\":null}");
			assertThat(seesSignal(carol, bobId).get("candidate").isNull()).isTrue();
			nothingElse(alice, bob, carol);

			// bob (on b) leaves: both on a are told; then carol's socket closes: alice is told.
			bob.send("/app/room/" + room + "/leave", "{}");
			seesLeave(alice, bobId);
			seesLeave(carol, bobId);
			carol.close();
			seesLeave(alice, carolId);
			nothingElse(alice, bob);
			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants WHERE room_slug = ?", room))
					.isEqualTo(1);
		}
	}

	/**
	 * The owner on instance a removes a participant whose socket is on b: its call ends on b (its
	 * signals are refused there), the others are told, and its user cannot come back for a while.
	 * The room was made through the page, so its creator owns it.
	 */
	@Test
	void theOwnerRemovesAParticipantHeldByTheOtherInstance() throws Exception {
		String ownerCookie = new HttpLogin(a.baseUrl()).login("olga");
		String bobCookie = new HttpLogin(b.baseUrl()).login("bob");
		String room = new HttpLogin(a.baseUrl()).createRoom(ownerCookie, "Owner removes across instances");
		try (StompTestClient owner = StompTestClient.connect(a.port(), ownerCookie);
				StompTestClient bob = StompTestClient.connect(b.port(), bobCookie)) {
			String ownerId = joinAlone(owner, room, "olga");
			String bobId = joinAfter(bob, room, "bob", List.of(ownerId), List.of("olga"));
			seesNewcomer(owner, bobId, "bob");
			owner.send("/app/owner/remove", "{\"id\":\"" + bobId + "\"}");
			seesLeave(owner, bobId);
			JsonNode removed = bob.nextMatching(m -> m.body().has("rtc")
					&& "removed".equals(m.body().get("rtc").get("type").asString()), "removed").body().get("rtc");
			assertThat(removed.get("message").asString()).isEqualTo("The owner removed you from the call.");
			// Instance b heard of it over the control exchange (published before "removed" left a): bob's
			// session is in no call there any more.
			bob.send("/app/signal", "{\"to\":\"" + ownerId + "\",\"candidate\":null}");
			assertThat(bob.awaitError()).isEqualTo("Join a call before sending signals.");
			try (StompTestClient bobAgain = StompTestClient.connect(b.port(), bobCookie)) {
				bobAgain.send("/app/room/" + room + "/join", "{}");
				JsonNode refused = bobAgain.nextMatching(m -> m.body().has("rtc")
						&& "refused".equals(m.body().get("rtc").get("type").asString()), "refused").body().get("rtc");
				assertThat(refused.get("reason").asString()).isEqualTo("removed");
			}
			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants WHERE room_slug = ?", room))
					.isEqualTo(1);
		}
	}

	@Test
	void theLobbyCountsRightOnBothInstances() throws Exception {
		HttpLogin onA = new HttpLogin(a.baseUrl());
		HttpLogin onB = new HttpLogin(b.baseUrl());
		String watcherCookie = onA.login("watcher");
		String room = onA.createRoom(watcherCookie, "Lobby counts");
		assertThat(HttpLogin.lobbyCount(onB.lobbyPage(watcherCookie), room)).as("room listed on b").isZero();

		try (StompTestClient watchA = StompTestClient.connect(a.port(), watcherCookie);
				StompTestClient watchB = StompTestClient.connect(b.port(), watcherCookie);
				StompTestClient dora = StompTestClient.connect(a.port(), onA.login("dora"));
				StompTestClient ed = StompTestClient.connect(b.port(), onB.login("ed"));
				StompTestClient fay = StompTestClient.connect(b.port(), onB.login("fay"))) {
			watchA.subscribe("/topic/lobby");
			watchB.subscribe("/topic/lobby");

			String doraId = joinAlone(dora, room, "dora");
			String edId = joinAfter(ed, room, "ed", List.of(doraId), List.of("dora"));
			joinAfter(fay, room, "fay", List.of(doraId, edId), List.of("dora", "ed"));
			assertLobby(room, 3, onA, onB, watcherCookie, watchA, watchB);

			ed.send("/app/room/" + room + "/leave", "{}");
			dora.close();
			assertLobby(room, 1, onA, onB, watcherCookie, watchA, watchB);
		}
	}

	/** Both lobby pages, and the /topic/lobby fragments a watcher on each instance receives, show {@code count}. */
	@Test
	void logoutOnOneInstanceClosesTheUsersSocketsOnTheOther() throws Exception {
		HttpLogin onA = new HttpLogin(a.baseUrl());
		String cookie = onA.login("dora");
		String otherCookie = onA.login("ezra");
		try (StompTestClient onB = StompTestClient.connect(b.port(), cookie);
				StompTestClient bystander = StompTestClient.connect(b.port(), otherCookie)) {
			HttpLogin.Page lobby = onA.get("/", cookie);
			String xsrf = lobby.cookies().get("XSRF-TOKEN");
			assertThat(xsrf).as("CSRF cookie from the lobby").isNotNull();
			HttpLogin.Page out = onA.post("/logout", cookie + "; XSRF-TOKEN=" + xsrf,
					java.util.Map.of("_csrf", HttpLogin.csrfField(lobby)));
			assertThat(out.status()).as("logout on a").isEqualTo(303);
			// Over the AMQP control exchange: instance b closes dora's socket, and only hers.
			assertThat(onB.awaitError()).contains("Logged out.");
			assertThat(bystander.isConnected()).isTrue();
		}
		// The sign-out epoch in the shared database revokes the cookie's value on both instances.
		HttpLogin onB = new HttpLogin(b.baseUrl());
		for (HttpLogin instance : List.of(onA, onB)) {
			HttpLogin.Page page = instance.get("/", cookie);
			assertThat(page.status()).as("GET / with a copy of the logged-out cookie").isEqualTo(303);
			assertThat(page.location()).startsWith("/login");
		}
		assertThatThrownBy(() -> StompTestClient.connect(b.port(), cookie).close())
			.as("a WebSocket handshake with the logged-out cookie").hasStackTraceContaining("401");
	}

	/**
	 * Each instance answers Prometheus on a management port of its own (the packaged jar's default,
	 * 8081, moved per instance) about its own sessions only, and its public port serves no metrics.
	 */
	@Test
	void eachInstanceServesItsOwnMetricsOnItsManagementPort() throws Exception {
		String cookie = new HttpLogin(a.baseUrl()).login("gauge");
		MetricsScrape beforeA = MetricsScrape.of(a.managementUrl());
		MetricsScrape beforeB = MetricsScrape.of(b.managementUrl());
		try (StompTestClient onA = StompTestClient.connect(a.port(), cookie);
				StompTestClient onB = StompTestClient.connect(b.port(), cookie);
				StompTestClient againOnB = StompTestClient.connect(b.port(), cookie)) {
			MetricsScrape afterA = MetricsScrape.of(a.managementUrl());
			MetricsScrape afterB = MetricsScrape.of(b.managementUrl());
			assertThat(connects(afterA) - connects(beforeA)).as("CONNECT frames on a").isEqualTo(1);
			assertThat(connects(afterB) - connects(beforeB)).as("CONNECT frames on b").isEqualTo(2);
			assertThat(afterB.value("confab_stomp_sessions")).as("sessions on b").isGreaterThanOrEqualTo(2);
			for (MetricsScrape relay : List.of(afterA, afterB)) {
				assertThat(relay.value("confab_broker_connected")).as("the relay's broker connection").isEqualTo(1);
			}
		}
		for (ConfabInstance instance : List.of(a, b)) {
			assertThat(MetricsScrape.get(instance.baseUrl() + "/actuator/prometheus").statusCode())
				.as("metrics on %s's public port", instance.name()).isNotEqualTo(200);
		}
	}

	private static double connects(MetricsScrape scrape) {
		return scrape.value("confab_stomp_frames_total", "direction", "in", "command", "CONNECT");
	}

	private static void assertLobby(String room, int count, HttpLogin onA, HttpLogin onB, String cookie,
			StompTestClient watchA, StompTestClient watchB) throws InterruptedException {
		for (StompTestClient watcher : List.of(watchA, watchB)) {
			watcher.nextMatching(m -> "/topic/lobby".equals(m.destination()) && m.body().has("html")
					&& HttpLogin.lobbyCount(m.body().get("html").asString(), room) == count,
					"a /topic/lobby fragment counting " + count + " in " + room);
		}
		for (HttpLogin page : List.of(onA, onB)) {
			Waits.until("lobby page counts " + count + " in " + room, Duration.ofSeconds(5),
					() -> HttpLogin.lobbyCount(page.lobbyPage(cookie), room), n -> n == count);
		}
	}

	private static String instanceOf(String participantId) {
		return cluster.database().queryForStrings("SELECT instance_id FROM participants WHERE id = ?", participantId)
				.get(0);
	}
}
