package dev.confab.call;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.support.CallInbox;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.RawStompSocket;
import dev.confab.support.RosterHtml;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.TestCalls;

import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls that survive a dropped socket (docs/protocol.md, "Away and the grace period", "Resume",
 * "Room roster"): a participant whose socket closed without a leave turns away and may resume, as
 * the same participant, with its secret; nobody else can. A short grace and a fast heartbeat (the
 * expiry sweep runs on it) keep the waits short; the bounds below follow from them.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.call.resume-grace=5s", "confab.call.unload-grace=1s",
		"confab.cluster.heartbeat-interval=250ms"})
class ResumeTest extends ResumeSupport {

	@Test
	void aDroppedSocketResumesAsTheSameParticipantAndTheOthersSeeAwayThenBack() throws Exception {
		String room = this.calls.room("resume-basic");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			Joined a = join(alice, room, List.of());
			Joined b = join(bob, room, List.of(a.id()));
			seesJoin(alice, b.id());
			RosterHtml bothIn = alice.awaitRoster(r -> r.isPresent(a.id()) && r.isPresent(b.id()), "alice and bob");
			assertThat(bothIn.participants()).containsOnlyKeys(a.id(), b.id());

			bobClient.drop();
			RosterHtml away = alice.awaitRoster(r -> r.isAway(b.id()), "bob away");
			assertThat(away.isPresent(a.id())).isTrue();
			assertThat(away.title()).isEqualTo("2 people in the call");
			assertThat(away.version()).isGreaterThan(bothIn.version());
			awaitAway(b.id(), true);
			assertThat(this.calls.participantsIn(room)).isEqualTo(2);

			// A signal to an away participant is dropped, not refused, and not held for later.
			aliceClient.send("/app/signal", "{\"to\":\"" + b.id() + "\",\"candidate\":null}");

			try (StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox bobAgain = new CallInbox(bobAgainClient);
				bobAgainClient.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
				JsonNode resumed = awaitResumed(bobAgain, b.id(), "bob");
				assertThat(resumed.get("epoch").asInt()).as("a resume that is not fresh keeps the epoch").isZero();
				assertThat(resumed.has("iceServers")).isTrue();
				assertThat(resumed.get("iceTransportPolicy").asString()).isEqualTo("all");
				assertThat(resumed.has("secret")).as("the secret travels only in connect").isFalse();
				assertOthers(resumed, List.of(a.id()), List.of("alice"), List.of(0), List.of(true));

				JsonNode back = alice.nextRtc("back");
				assertThat(back.get("id").asString()).isEqualTo(b.id());
				assertThat(back.get("epoch").asInt()).isZero();
				RosterHtml backInRoster = alice.awaitRoster(r -> r.isPresent(b.id()), "bob back, not away");
				assertThat(backInRoster.version()).isGreaterThan(away.version());
				assertThat(backInRoster.participants()).containsOnlyKeys(a.id(), b.id());
				awaitAway(b.id(), false);

				// The participant moved to the new session: signals reach it there, both ways, stamped as before.
				bobAgainClient.subscribe("/topic/room." + room);
				aliceClient.send("/app/signal", "{\"to\":\"" + b.id() + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
				JsonNode toBob = bobAgain.nextRtc("signal");
				assertThat(toBob.get("from").asString()).isEqualTo(a.id());
				assertThat(toBob.get("description").get("type").asString())
						.as("the candidate sent while bob was away is not delivered now").isEqualTo("offer");
				bobAgainClient.send("/app/signal", "{\"to\":\"" + a.id() + "\",\"candidate\":null}");
				assertThat(alice.nextRtc("signal").get("from").asString()).isEqualTo(b.id());

				assertThat(alice.events(QUIET)).isEmpty();
				assertThat(bobAgain.events(QUIET)).isEmpty();
				assertThat(alice.rtcTypesSeen()).as("alice's events")
						.containsExactly("connect", "others", "other", "back", "signal");
				assertThat(aliceClient.isConnected()).isTrue();
				assertThat(this.calls.participantsIn(room)).isEqualTo(2);
			}
		}
	}

	@Test
	void anAbruptTcpDropIsAwayTooAndResumes() throws Exception {
		String room = this.calls.room("resume-abort");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			Joined a = join(alice, room, List.of());
			Joined b;
			try (RawStompSocket raw = RawStompSocket.open(this.calls.port(), bobCookie)) {
				b = rawJoin(raw, room, true);
				seesJoin(alice, b.id());
			} // abort(): the TCP connection just ends, no close frame, no DISCONNECT
			assertResumesAfterDrop(alice, a, b, bobCookie);
		}
	}

	@Test
	void aSocketThatDropsRightAfterItsConnectStillTurnsAwayAndResumes() throws Exception {
		String room = this.calls.room("resume-early-drop");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			Joined a = join(alice, room, List.of());
			Joined b;
			try (RawStompSocket raw = RawStompSocket.open(this.calls.port(), bobCookie)) {
				// The page got its id and secret and then lost the network, while the server may still
				// be finishing the join: that is a lost socket like any other, not a leave.
				b = rawJoin(raw, room, false);
			}
			seesJoin(alice, b.id());
			assertResumesAfterDrop(alice, a, b, bobCookie);
		}
	}

	/** Bob (joined as {@code b} after alice) dropped: alice sees him away, he resumes, she sees him back. */
	private void assertResumesAfterDrop(CallInbox alice, Joined a, Joined b, String bobCookie) throws Exception {
		alice.awaitRoster(r -> r.isAway(b.id()), "bob away after the TCP drop");
		try (StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox bobAgain = new CallInbox(bobAgainClient);
			bobAgainClient.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
			awaitResumed(bobAgain, b.id(), "bob");
			assertThat(alice.nextRtc("back").get("id").asString()).isEqualTo(b.id());
			alice.awaitRoster(r -> r.isPresent(b.id()), "bob back");
			assertThat(alice.events(QUIET)).isEmpty();
			assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "back");
		}
	}

	/**
	 * Joins over a raw socket; with {@code wholeSequence} as the browser does (up to {@code others}
	 * and a confirmed room topic subscription), else returning as soon as {@code connect} came.
	 */
	private static Joined rawJoin(RawStompSocket raw, String room, boolean wholeSequence) throws Exception {
		raw.connect();
		raw.send("SUBSCRIBE\nid:0\ndestination:/user/queue/events\nreceipt:sub\n\n\0");
		assertThat(raw.next()).startsWith("RECEIPT");
		raw.send("SEND\ndestination:/app/room/" + room + "/join\ncontent-type:application/json\n\n{}\0");
		Joined joined = null;
		while (true) {
			String frame = raw.next();
			assertThat(frame).startsWith("MESSAGE");
			JsonNode event = JSON.readTree(body(frame)).get("rtc");
			String type = event == null ? "html" : event.get("type").asString();
			if ("connect".equals(type)) {
				joined = new Joined(event.get("id").asString(), event.get("secret").asString(), event.get("epoch").asInt());
				if (!wholeSequence) {
					return joined;
				}
			}
			else if ("others".equals(type)) {
				break;
			}
		}
		raw.send("SUBSCRIBE\nid:1\ndestination:/topic/room." + room + "\nreceipt:room\n\n\0");
		while (!raw.next().startsWith("RECEIPT")) {
			// a roster may come first
		}
		return joined;
	}

	@Test
	void aFreshResumeRenewsEveryPeerAndOnlyPeersWithALiveConnectionGetBack() throws Exception {
		String room = this.calls.room("resume-fresh");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient carolClient = this.calls.connect("carol");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox carol = new CallInbox(carolClient);
			CallInbox bob = new CallInbox(bobClient);
			Joined a = join(alice, room, List.of());
			Joined c = join(carol, room, List.of(a.id()));
			seesJoin(alice, c.id());
			Joined b = join(bob, room, List.of(a.id(), c.id()));
			seesJoin(alice, b.id());
			seesJoin(carol, b.id());

			// A reload: the new page has no peer connections, so every pair starts afresh.
			bobClient.drop();
			alice.awaitRoster(r -> r.isAway(b.id()), "bob away");
			carol.awaitRoster(r -> r.isAway(b.id()), "bob away");
			try (StompTestClient reloadedClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox reloaded = new CallInbox(reloadedClient);
				reloadedClient.send("/app/resume", resume(b, true, Map.of()));
				Received first = reloaded.nextEvent();
				String tiles = html(first);
				assertThat(tiles).as("a fresh page gets every tile").contains("id=\"tile-" + a.id() + "\"")
						.contains("id=\"tile-" + c.id() + "\"").doesNotContain("id=\"tile-" + b.id() + "\"");
				assertThat(RosterHtml.of(tiles).participants()).containsOnlyKeys(a.id(), b.id(), c.id());
				JsonNode resumed = reloaded.nextRtc("resumed");
				assertThat(resumed.get("id").asString()).isEqualTo(b.id());
				assertThat(resumed.get("epoch").asInt()).as("a fresh resume adds one to the epoch").isEqualTo(1);
				assertOthers(resumed, List.of(a.id(), c.id()), List.of("alice", "carol"), List.of(0, 0),
						List.of(false, false));
				for (CallInbox other : List.of(alice, carol)) {
					JsonNode renew = other.nextRtc("renew");
					assertThat(renew.get("id").asString()).isEqualTo(b.id());
					assertThat(renew.get("name").asString()).isEqualTo("bob");
					assertThat(renew.get("epoch").asInt()).isEqualTo(1);
					other.awaitRoster(r -> r.isPresent(b.id()), "bob back");
					assertThat(other.events(QUIET)).isEmpty();
				}
				reloadedClient.subscribe("/topic/room." + room);

				// The reloaded page's connection drops too; it kept a live pair with alice only (carol's
				// entry names an epoch carol does not have, so that pair is not live either).
				reloadedClient.drop();
				alice.awaitRoster(r -> r.isAway(b.id()), "bob away again");
				carol.awaitRoster(r -> r.isAway(b.id()), "bob away again");
			}
			Joined reloadedBob = new Joined(b.id(), b.secret(), 1);
			try (StompTestClient againClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox again = new CallInbox(againClient);
				Map<String, Integer> peers = new LinkedHashMap<>();
				peers.put(a.id(), 0);
				peers.put(c.id(), 7);
				againClient.send("/app/resume", resume(reloadedBob, false, peers));
				String tiles = html(again.nextEvent());
				assertThat(tiles).as("tiles only of participants the page does not show")
						.doesNotContain("id=\"tile-" + a.id() + "\"").doesNotContain("id=\"tile-" + c.id() + "\"");
				assertThat(RosterHtml.of(tiles).participants()).containsOnlyKeys(a.id(), b.id(), c.id());
				JsonNode resumed = again.nextRtc("resumed");
				assertThat(resumed.get("id").asString()).isEqualTo(b.id());
				assertThat(resumed.get("epoch").asInt()).as("not fresh: the epoch stays").isEqualTo(1);
				assertOthers(resumed, List.of(a.id(), c.id()), List.of("alice", "carol"), List.of(0, 0),
						List.of(true, false));

				JsonNode back = alice.nextRtc("back");
				assertThat(back.get("id").asString()).isEqualTo(b.id());
				assertThat(back.get("epoch").asInt()).isEqualTo(1);
				JsonNode renew = carol.nextRtc("renew");
				assertThat(renew.get("id").asString()).isEqualTo(b.id());
				assertThat(renew.get("epoch").asInt()).isEqualTo(1);

				// A newcomer learns bob's epoch too.
				try (StompTestClient danClient = this.calls.connect("dan")) {
					CallInbox dan = new CallInbox(danClient);
					danClient.send("/app/room/" + room + "/join", "{}");
					html(dan.nextEvent());
					rtc(dan.nextEvent(), "connect");
					JsonNode others = dan.nextRtc("others").get("others");
					assertThat(others).hasSize(3);
					Map<String, Integer> epochs = new LinkedHashMap<>();
					others.forEach(o -> epochs.put(o.get("id").asString(), o.get("epoch").asInt()));
					assertThat(epochs).containsExactly(Map.entry(a.id(), 0), Map.entry(c.id(), 0), Map.entry(b.id(), 1));
					for (CallInbox earlier : List.of(alice, carol, again)) {
						html(earlier.nextEvent());
						assertThat(earlier.nextRtc("other").get("epoch").asInt()).isZero();
					}
				}
				for (CallInbox earlier : List.of(alice, carol, again)) {
					earlier.nextRtc("disconnected");
					assertThat(earlier.events(QUIET)).isEmpty();
				}
				assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "other", "renew", "back", "other",
						"disconnected");
				assertThat(carol.rtcTypesSeen()).containsExactly("connect", "others", "other", "renew", "renew", "other",
						"disconnected");
			}
		}
	}

	@Test
	void aDisconnectFrameOrALeaveLeavesAtOnceWithoutGrace() throws Exception {
		String room = this.calls.room("resume-leave");
		String bobCookie = this.calls.cookieFor("bob");
		String carolCookie = this.calls.cookieFor("carol");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			Joined a = join(alice, room, List.of());

			// DISCONNECT (StompTestClient.close sends it): the Leave button, logout, closing the page on purpose.
			StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie);
			Joined b = join(new CallInbox(bobClient), room, List.of(a.id()));
			seesJoin(alice, b.id());
			long closedAt = System.nanoTime();
			bobClient.close();
			// Waits longer than AT_ONCE so that a lost leave (none at all) and a slow one tell apart.
			Received left = alice.nextEvent(Duration.ofSeconds(10));
			assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(b.id());
			assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).as("DISCONNECT to disconnected").isLessThan(AT_ONCE);
			assertThat(alice.rosterHistory()).noneMatch(r -> r.isAway(b.id()));
			refused(bobCookie, resume(b, false, Map.of(a.id(), 0)), UNKNOWN);

			// SEND leave, then the socket drops: the leave counted, the drop changes nothing.
			StompTestClient carolClient = StompTestClient.connect(this.calls.port(), carolCookie);
			CallInbox carol = new CallInbox(carolClient);
			Joined c = join(carol, room, List.of(a.id()));
			seesJoin(alice, c.id());
			long leftAt = System.nanoTime();
			carolClient.send("/app/room/" + room + "/leave", "{}");
			assertThat(rtc(alice.nextEvent(Duration.ofSeconds(10)), "disconnected").get("id").asString()).isEqualTo(c.id());
			assertThat(Duration.ofNanos(System.nanoTime() - leftAt)).as("SEND leave to disconnected").isLessThan(AT_ONCE);
			carolClient.drop();
			refused(carolCookie, resume(c, false, Map.of(a.id(), 0)), UNKNOWN);
			assertThat(alice.events(Duration.ofSeconds(1))).isEmpty();
			assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "disconnected", "other",
					"disconnected");
			assertThat(alice.rosterHistory()).noneMatch(r -> r.isAway(b.id()) || r.isAway(c.id()));
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.calls.participantsIn(room)).isEqualTo(1));
		}
	}

	@Test
	void anUnloadThenACloseLeavesAfterTheShortUnloadGrace() throws Exception {
		String room = this.calls.room("resume-unload");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = this.calls.connect("bob")) {
			CallInbox alice = new CallInbox(aliceClient);
			Joined a = join(alice, room, List.of());
			Joined b = join(new CallInbox(bobClient), room, List.of(a.id()));
			seesJoin(alice, b.id());

			// pagehide: the page says it unloads, then its socket goes.
			bobClient.sendAndAwaitReceipt("/app/unload", "{}");
			long droppedAt = System.nanoTime();
			bobClient.drop();
			alice.awaitRoster(r -> r.isAway(b.id()), "bob away after the unload");
			assertThat(this.calls.participantsIn(room)).isEqualTo(2);
			Received left = alice.nextEvent(GRACE);
			Duration after = Duration.ofNanos(System.nanoTime() - droppedAt);
			assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(b.id());
			System.out.println("[confab-test] disconnected " + after.toMillis() + " ms after unload and close (unload grace "
					+ UNLOAD_GRACE + ")");
			assertThat(after).as("after the unload grace, well before the resume grace")
					.isGreaterThanOrEqualTo(UNLOAD_GRACE.dividedBy(2)).isLessThan(GRACE.minusSeconds(1));
			assertThat(alice.events(Duration.ofSeconds(1))).isEmpty();
			assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "disconnected");
		}
	}

	@Test
	void aReloadResumesWithinTheUnloadGrace() throws Exception {
		String room = this.calls.room("resume-reload");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			Joined a = join(alice, room, List.of());
			Joined b = join(new CallInbox(bobClient), room, List.of(a.id()));
			seesJoin(alice, b.id());

			bobClient.sendAndAwaitReceipt("/app/unload", "{}");
			bobClient.drop();
			try (StompTestClient reloadedClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox reloaded = new CallInbox(reloadedClient);
				reloadedClient.send("/app/resume", resume(b, true, Map.of()));
				assertThat(html(reloaded.nextEvent())).contains("id=\"tile-" + a.id() + "\"");
				JsonNode resumed = reloaded.nextRtc("resumed");
				assertThat(resumed.get("id").asString()).isEqualTo(b.id());
				assertThat(resumed.get("epoch").asInt()).isEqualTo(1);
				assertThat(alice.nextRtc("renew").get("id").asString()).isEqualTo(b.id());
				alice.awaitRoster(r -> r.isPresent(b.id()), "bob back after the reload");
				// Past the unload grace (and then some), the resumed participant stays.
				assertThat(alice.events(UNLOAD_GRACE.plus(SWEEP_SLACK))).isEmpty();
				awaitAway(b.id(), false);
				assertThat(this.calls.participantsIn(room)).isEqualTo(2);
				assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "renew");
			}
		}
	}

	@Test
	void anyConnectedSessionFollowsARoomsRosterAndCanAskForItBeforeJoining() throws Exception {
		String room = this.calls.room("roster-watch");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie);
				StompTestClient visitorClient = this.calls.connect("visitor")) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox visitor = new CallInbox(visitorClient);

			// Before anyone joined: the visitor, in no call, follows the topic and asks once.
			visitorClient.subscribe("/topic/room." + room);
			visitorClient.send("/app/room/" + room + "/roster", "{}");
			Received answer = visitor.nextEvent();
			assertThat(answer.destination()).isEqualTo(CallInbox.EVENTS);
			RosterHtml empty = RosterHtml.of(html(answer));
			assertThat(empty.participants()).isEmpty();
			assertThat(empty.title()).isEqualTo("Nobody is in the call yet");

			Joined a = join(alice, room, List.of());
			RosterHtml one = visitor.awaitRoster(r -> r.isPresent(a.id()), "alice");
			assertThat(one.version()).isGreaterThan(empty.version());
			Joined b = join(new CallInbox(bobClient), room, List.of(a.id()));
			seesJoin(alice, b.id());
			RosterHtml two = visitor.awaitRoster(r -> r.isPresent(b.id()), "bob");
			assertThat(two.participants()).containsOnlyKeys(a.id(), b.id());
			assertThat(two.title()).isEqualTo("2 people in the call");

			bobClient.drop();
			RosterHtml away = visitor.awaitRoster(r -> r.isAway(b.id()), "bob away");
			assertThat(away.isPresent(a.id())).isTrue();

			// Asking answers the current roster: the same version as the last one on the topic.
			visitorClient.send("/app/room/" + room + "/roster", "{}");
			RosterHtml asked = RosterHtml.of(html(visitor.nextEvent()));
			assertThat(asked).isEqualTo(away);

			try (StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				bobAgainClient.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
				awaitResumed(new CallInbox(bobAgainClient), b.id(), "bob");
				RosterHtml back = visitor.awaitRoster(r -> r.isPresent(b.id()), "bob back");
				bobAgainClient.send("/app/room/" + room + "/leave", "{}");
				RosterHtml left = visitor.awaitRoster(r -> !r.lists(b.id()), "bob gone");
				assertThat(left.participants()).containsOnlyKeys(a.id());
				assertThat(left.version()).isGreaterThan(back.version());
			}

			// Versions grow with every change, in the order the rosters arrive.
			List<Long> versions = new ArrayList<>();
			visitor.rosterHistory().forEach(r -> versions.add(r.version()));
			assertThat(versions).as("roster versions on the topic").isSorted();
			assertThat(versions.stream().distinct().count()).as("distinct versions in %s", versions)
					.isGreaterThanOrEqualTo(5);

			// A room that does not exist: no answer, and no refusal either.
			visitorClient.send("/app/room/no-such-room/roster", "{}");
			assertThat(visitor.events(QUIET)).isEmpty();
			assertThat(visitorClient.isConnected()).isTrue();
			assertThat(visitor.rtcTypesSeen()).as("a visitor gets no call events").isEmpty();
		}
	}
}
