package dev.confab.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

import dev.confab.support.CallInbox;
import dev.confab.support.Events;
import dev.confab.support.RosterHtml;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static dev.confab.scale.CallAssertions.joinAfter;
import static dev.confab.scale.CallAssertions.joinAfterConnect;
import static dev.confab.scale.CallAssertions.joinAlone;
import static dev.confab.scale.CallAssertions.nothingElse;
import static dev.confab.scale.CallAssertions.seesNewcomer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of one instance mid-call. Its clients' sockets just drop. One of them (carol)
 * reconnects to a survivor at once and resumes: same participant, the others get {@code back} and
 * nothing else. The other (dan) never comes back: the survivors notice the silent instance, dan
 * turns away (the roster says so), and when his grace runs out he leaves, with {@code disconnected}
 * exactly once even with two survivors. The heartbeat keeps its defaults (every 3 s, dead after
 * 9 s); the grace is shortened to 3 s.
 */
class InstanceCrashIT {

	/** The grace period of this test's instances (CONFAB_CALL_RESUME_GRACE). */
	private static final Duration GRACE = Duration.ofSeconds(3);

	/**
	 * kill -9 to disconnected: the dead instance is noticed within instance-timeout plus one
	 * heartbeat interval (9 + 3 s: the old bound of 15 s allowed one interval more), the grace runs
	 * from then (3 s), and the expiry sweep runs on the next heartbeat (3 s).
	 */
	private static final Duration BOUND = Duration.ofSeconds(15).plus(GRACE).plusSeconds(3);

	/** Nobody may be told before the dead instance is even declared dead (9 s less one interval) plus the grace. */
	private static final Duration NOT_BEFORE = Duration.ofSeconds(6).plus(GRACE);

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static ConfabInstance a;

	static ConfabInstance b;

	static ConfabInstance c;

	@BeforeAll
	static void startThreeInstances() {
		// The unload grace may not exceed the resume grace.
		List<ConfabInstance> started = cluster.start(Map.of("CONFAB_CALL_RESUME_GRACE", GRACE.toSeconds() + "s",
				"CONFAB_CALL_UNLOAD_GRACE", "1s"), "a", "b", "c");
		a = started.get(0);
		b = started.get(1);
		c = started.get(2);
	}

	@Test
	void aKilledInstancesParticipantsResumeElsewhereOrLeaveOnceAfterTheGrace() throws Exception {
		HttpLogin login = new HttpLogin(a.baseUrl());
		String aliceCookie = login.login("alice");
		String carolCookie = login.login("carol");
		String room = login.createRoom(aliceCookie, "Crash");
		StompTestClient alice = StompTestClient.connect(a.port(), aliceCookie);
		StompTestClient bob = StompTestClient.connect(b.port(), login.login("bob"));
		StompTestClient carol = StompTestClient.connect(c.port(), carolCookie);
		StompTestClient dan = StompTestClient.connect(c.port(), login.login("dan"));
		StompTestClient carolAgain = null;
		try {
			String aliceId = joinAlone(alice, room, "alice");
			String bobId = joinAfter(bob, room, "bob", List.of(aliceId), List.of("alice"));
			seesNewcomer(alice, bobId, "bob");
			JsonNode carolConnect = joinAfterConnect(carol, room, "carol", List.of(aliceId, bobId), List.of("alice", "bob"));
			String carolId = carolConnect.get("id").asString();
			seesNewcomer(alice, carolId, "carol");
			seesNewcomer(bob, carolId, "carol");
			String danId = joinAfter(dan, room, "dan", List.of(aliceId, bobId, carolId), List.of("alice", "bob", "carol"));
			for (StompTestClient earlier : List.of(alice, bob, carol)) {
				seesNewcomer(earlier, danId, "dan");
			}
			nothingElse(alice, bob);
			// As the browser does: follow the room's roster, which shows who is away.
			alice.subscribe("/topic/room." + room);
			bob.subscribe("/topic/room." + room);
			Map<String, CallInbox> survivors = new LinkedHashMap<>();
			survivors.put("alice", new CallInbox(alice));
			survivors.put("bob", new CallInbox(bob));

			String deadInstance = instanceOf(carolId);
			assertThat(instanceOf(danId)).isEqualTo(deadInstance);
			assertThat(List.of(instanceOf(aliceId), instanceOf(bobId))).doesNotContain(deadInstance).doesNotHaveDuplicates();
			assertThat(liveInstances()).contains(deadInstance).hasSize(3);

			long killedAt = System.nanoTime();
			c.kill9();

			// Carol's page reconnects at once, to b, and resumes; the others see her back, no leave.
			carol.awaitClosed();
			carolAgain = StompTestClient.connect(b.port(), carolCookie);
			carolAgain.send("/app/resume", "{\"id\":\"" + carolId + "\",\"secret\":\""
					+ carolConnect.get("secret").asString() + "\",\"fresh\":false,\"peers\":{\"" + aliceId + "\":0,\""
					+ bobId + "\":0,\"" + danId + "\":0}}");
			CallInbox carolInbox = new CallInbox(carolAgain);
			assertThat(Events.html(carolInbox.nextEvent(CallAssertions.HOP))).contains("id=\"roster\"");
			JsonNode resumed = carolInbox.nextRtc("resumed", CallAssertions.HOP);
			assertThat(resumed.get("id").asString()).isEqualTo(carolId);
			System.out.println("[confab-it] carol resumed on b " + Duration.ofNanos(System.nanoTime() - killedAt).toMillis()
					+ " ms after kill -9 of c");
			for (Map.Entry<String, CallInbox> survivor : survivors.entrySet()) {
				JsonNode back = survivor.getValue().nextRtc("back", CallAssertions.HOP);
				assertThat(back.get("id").asString()).as("%s: back", survivor.getKey()).isEqualTo(carolId);
			}

			Map<String, Duration> saw = awaitDisconnected(survivors, danId, killedAt);
			System.out.println("[confab-it] after kill -9 of c: dan (" + danId + ") disconnected at " + saw
					+ " (grace " + GRACE.toSeconds() + " s, bound " + BOUND.toSeconds() + " s)");
			saw.forEach((who, after) -> assertThat(after).as("%s: time from kill -9 to dan's disconnected", who)
					.isGreaterThanOrEqualTo(NOT_BEFORE).isLessThanOrEqualTo(BOUND));

			assertThat(carolInbox.nextRtc("disconnected", CallAssertions.HOP).get("id").asString())
					.as("carol, resumed on b, sees dan leave too").isEqualTo(danId);

			// Exactly once: no second disconnected from the other survivor's sweep, nothing else either.
			List<Received> afterwards = new ArrayList<>(survivors.get("alice").events(Duration.ofSeconds(4)));
			afterwards.addAll(survivors.get("bob").events(Duration.ofMillis(500)));
			afterwards.addAll(carolInbox.events(Duration.ofMillis(500)));
			assertThat(carolInbox.rtcTypesSeen()).as("carol's events on b").containsExactly("resumed", "disconnected");
			assertThat(afterwards).as("messages after the cleanup").isEmpty();
			for (Map.Entry<String, CallInbox> survivor : survivors.entrySet()) {
				CallInbox inbox = survivor.getValue();
				assertThat(inbox.rtcTypesSeen()).as("%s: events after kill -9", survivor.getKey())
						.containsExactly("back", "disconnected");
				List<RosterHtml> rosters = inbox.rosterHistory();
				assertThat(rosters).as("%s: a roster showed dan away before he left", survivor.getKey())
						.anyMatch(r -> r.isAway(danId) && r.isPresent(carolId));
				RosterHtml last = rosters.get(rosters.size() - 1);
				assertThat(last.participants()).as("%s: the last roster", survivor.getKey())
						.containsOnlyKeys(aliceId, bobId, carolId);
				assertThat(last.participants().values()).as("nobody away any more").containsOnly(false);
			}

			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants WHERE instance_id = ?",
					deadInstance)).as("participants of the dead instance").isZero();
			assertThat(cluster.database().queryForStrings("SELECT screen_name FROM participants WHERE room_slug = ?"
					+ " ORDER BY joined_at", room)).containsExactly("alice", "bob", "carol");
			assertThat(instanceOf(carolId)).isEqualTo(instanceOf(bobId));
			assertThat(liveInstances()).doesNotContain(deadInstance).hasSize(2);
			assertThat(HttpLogin.lobbyCount(new HttpLogin(b.baseUrl()).lobbyPage(aliceCookie), room)).isEqualTo(3);

			// Someone joining now meets only the living.
			try (StompTestClient erin = StompTestClient.connect(b.port(), login.login("erin"))) {
				String erinId = joinAfter(erin, room, "erin", List.of(aliceId, bobId, carolId),
						List.of("alice", "bob", "carol"));
				for (CallInbox inbox : List.of(survivors.get("alice"), survivors.get("bob"), carolInbox)) {
					assertThat(Events.html(inbox.nextEvent(CallAssertions.HOP))).contains("id=\"tile-" + erinId + "\"");
					assertThat(inbox.nextRtc("other", CallAssertions.HOP).get("id").asString()).isEqualTo(erinId);
				}
			}
		}
		finally {
			for (StompTestClient client : java.util.Arrays.asList(alice, bob, carol, dan, carolAgain)) {
				if (client != null) {
					closeQuietly(client);
				}
			}
		}
	}

	/**
	 * Waits (a while past the bound, so that a slow cleanup is measured rather than cut off) until
	 * every survivor got the {@code disconnected} of {@code id}, checking each message, and returns
	 * per survivor how long after the kill it arrived (as taken off the socket; all are polled in turn).
	 */
	private static Map<String, Duration> awaitDisconnected(Map<String, CallInbox> clients, String id, long killedAt)
			throws InterruptedException {
		Map<String, Duration> seen = new LinkedHashMap<>();
		Duration patience = BOUND.plusSeconds(10);
		long deadline = killedAt + patience.toNanos();
		while (seen.size() < clients.size() && System.nanoTime() < deadline) {
			for (Map.Entry<String, CallInbox> client : clients.entrySet()) {
				for (Received message : client.getValue().events(Duration.ofMillis(25))) {
					Duration after = Duration.ofNanos(System.nanoTime() - killedAt);
					JsonNode rtc = Events.rtc(message, "disconnected");
					assertThat(rtc.get("id").asString()).as("%s: disconnected of dan", client.getKey()).isEqualTo(id);
					assertThat(message.body().get("remove").asString()).isEqualTo("#tile-" + id);
					assertThat(seen.put(client.getKey(), after)).as("%s: a second disconnected of %s", client.getKey(), id)
							.isNull();
				}
			}
		}
		assertThat(seen.keySet()).as("survivors that saw dan's disconnected within %s s of kill -9", patience.toSeconds())
				.containsExactlyInAnyOrderElementsOf(clients.keySet());
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
