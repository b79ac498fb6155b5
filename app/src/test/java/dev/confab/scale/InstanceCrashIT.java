package dev.confab.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

import dev.confab.support.Events;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static dev.confab.scale.CallAssertions.joinAfter;
import static dev.confab.scale.CallAssertions.joinAlone;
import static dev.confab.scale.CallAssertions.nothingElse;
import static dev.confab.scale.CallAssertions.seesNewcomer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of one instance mid-call. The survivors notice its heartbeat stopping, remove its
 * participants and tell every room, each dead participant exactly once even with two survivors,
 * within the default bound (heartbeat every 3 s, dead after 9 s: at most 15 s).
 */
class InstanceCrashIT {

	/** The bound with the default heartbeat settings, which this test leaves alone. */
	private static final Duration BOUND = Duration.ofSeconds(15);

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static ConfabInstance a;

	static ConfabInstance b;

	static ConfabInstance c;

	@BeforeAll
	static void startThreeInstances() {
		List<ConfabInstance> started = cluster.start("a", "b", "c");
		a = started.get(0);
		b = started.get(1);
		c = started.get(2);
	}

	@Test
	void theSurvivorsDisconnectEveryParticipantOfAKilledInstanceOnceWithinTheBound() throws Exception {
		HttpLogin login = new HttpLogin(a.baseUrl());
		String aliceCookie = login.login("alice");
		String room = login.createRoom(aliceCookie, "Crash");
		StompTestClient alice = StompTestClient.connect(a.port(), aliceCookie);
		StompTestClient bob = StompTestClient.connect(b.port(), login.login("bob"));
		StompTestClient carol = StompTestClient.connect(c.port(), login.login("carol"));
		StompTestClient dan = StompTestClient.connect(c.port(), login.login("dan"));
		try {
			String aliceId = joinAlone(alice, room, "alice");
			String bobId = joinAfter(bob, room, "bob", List.of(aliceId), List.of("alice"));
			seesNewcomer(alice, bobId, "bob");
			String carolId = joinAfter(carol, room, "carol", List.of(aliceId, bobId), List.of("alice", "bob"));
			seesNewcomer(alice, carolId, "carol");
			seesNewcomer(bob, carolId, "carol");
			String danId = joinAfter(dan, room, "dan", List.of(aliceId, bobId, carolId), List.of("alice", "bob", "carol"));
			for (StompTestClient earlier : List.of(alice, bob, carol)) {
				seesNewcomer(earlier, danId, "dan");
			}
			nothingElse(alice, bob);

			String deadInstance = instanceOf(carolId);
			assertThat(instanceOf(danId)).isEqualTo(deadInstance);
			assertThat(List.of(instanceOf(aliceId), instanceOf(bobId))).doesNotContain(deadInstance).doesNotHaveDuplicates();
			assertThat(liveInstances()).contains(deadInstance).hasSize(3);

			long killedAt = System.nanoTime();
			c.kill9();

			Map<String, Map<String, Duration>> saw = awaitDisconnected(Map.of("alice", alice, "bob", bob),
					Set.of(carolId, danId), killedAt);
			System.out.println("[confab-it] after kill -9 of c (carol " + carolId + ", dan " + danId + "): " + saw);
			saw.forEach((who, times) -> assertThat(times.values()).as("%s: time from kill -9 to disconnected", who)
					.allSatisfy(after -> assertThat(after).isLessThanOrEqualTo(BOUND)));

			// Exactly once: no second disconnected from the other survivor's cleanup, nothing else either.
			List<Received> afterwards = new ArrayList<>(alice.drain(Duration.ofSeconds(4)));
			afterwards.addAll(bob.drain(Duration.ofMillis(500)));
			assertThat(afterwards).as("messages after the cleanup").isEmpty();

			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants WHERE instance_id = ?",
					deadInstance)).as("participants of the dead instance").isZero();
			assertThat(cluster.database().queryForStrings("SELECT screen_name FROM participants WHERE room_slug = ?"
					+ " ORDER BY joined_at", room)).containsExactly("alice", "bob");
			assertThat(liveInstances()).doesNotContain(deadInstance).hasSize(2);
			assertThat(HttpLogin.lobbyCount(new HttpLogin(b.baseUrl()).lobbyPage(aliceCookie), room)).isEqualTo(2);

			// Someone joining now meets only the living.
			try (StompTestClient erin = StompTestClient.connect(b.port(), login.login("erin"))) {
				String erinId = joinAfter(erin, room, "erin", List.of(aliceId, bobId), List.of("alice", "bob"));
				seesNewcomer(alice, erinId, "erin");
				seesNewcomer(bob, erinId, "erin");
			}
		}
		finally {
			for (StompTestClient client : List.of(alice, bob, carol, dan)) {
				closeQuietly(client);
			}
		}
	}

	/**
	 * Waits (a while past the bound, so that a slow cleanup is measured rather than cut off) until
	 * every client got one {@code disconnected} for each id, checking each message, and returns per
	 * client how long after the kill each arrived. Polls all clients in turn, so the times are fair.
	 */
	private static Map<String, Map<String, Duration>> awaitDisconnected(Map<String, StompTestClient> clients,
			Set<String> ids, long killedAt) throws InterruptedException {
		Map<String, Map<String, Duration>> seen = new LinkedHashMap<>();
		clients.keySet().forEach(who -> seen.put(who, new LinkedHashMap<>()));
		Duration patience = BOUND.plusSeconds(10);
		long deadline = killedAt + patience.toNanos();
		while (seen.values().stream().anyMatch(times -> times.size() < ids.size()) && System.nanoTime() < deadline) {
			for (Map.Entry<String, StompTestClient> client : clients.entrySet()) {
				for (Received message : client.getValue().drain(Duration.ofMillis(25))) {
					Duration after = Duration.ofNanos(System.nanoTime() - killedAt);
					JsonNode rtc = Events.rtc(message, "disconnected");
					String id = rtc.get("id").asString();
					assertThat(id).as("%s: disconnected for a participant of the dead instance", client.getKey()).isIn(ids);
					assertThat(message.body().get("remove").asString()).isEqualTo("#tile-" + id);
					assertThat(seen.get(client.getKey()).put(id, after))
							.as("%s: a second disconnected of %s", client.getKey(), id).isNull();
				}
			}
		}
		seen.forEach((who, times) -> assertThat(times.keySet())
				.as("%s: disconnected seen within %s s of kill -9", who, patience.toSeconds())
				.containsExactlyInAnyOrderElementsOf(ids));
		return seen;
	}

	private static List<String> liveInstances() {
		return cluster.database().queryForStrings("SELECT id FROM instances");
	}

	private static String instanceOf(String participantId) {
		return cluster.database().queryForStrings("SELECT instance_id FROM participants WHERE id = ?", participantId)
				.get(0);
	}

	private static void closeQuietly(StompTestClient client) {
		try {
			client.close();
		}
		catch (RuntimeException ex) {
			// its instance is dead
		}
	}
}
