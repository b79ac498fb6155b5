package dev.confab.call;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.TestCalls;

import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The talk's join sequence, signal relay and leaves, driven over real WebSockets by an independent STOMP client. */
@ConfabServerTest
class CallSignalingTest {

	private static final Duration QUIET = Duration.ofMillis(500);

	@Autowired
	TestCalls calls;

	@Test
	void secondJoinerGetsTheTalksSequenceAndTheFirstGetsTileThenOther() throws Exception {
		String room = this.calls.room("seq-two");
		try (StompTestClient alice = this.calls.connect("alice"); StompTestClient bob = this.calls.connect("bob")) {
			alice.send("/app/room/" + room + "/join", "{}");
			assertThat(html(alice.next())).contains("id=\"roster\"").contains(">alice<");
			JsonNode aliceConnect = rtc(alice.next(), "connect");
			String aliceId = aliceConnect.get("id").asString();
			assertThat(aliceConnect.get("name").asString()).isEqualTo("alice");
			assertThat(rtc(alice.next(), "others").get("others")).isEmpty();

			bob.send("/app/room/" + room + "/join", "{}");
			String tilesForBob = html(bob.next());
			assertThat(tilesForBob).contains("id=\"tile-" + aliceId + "\"").contains(">alice<")
					.contains("hx-swap-oob=\"beforeend\"").contains("id=\"roster\"").contains("2 people in the call");
			JsonNode bobConnect = rtc(bob.next(), "connect");
			String bobId = bobConnect.get("id").asString();
			JsonNode others = rtc(bob.next(), "others").get("others");
			assertThat(others).hasSize(1);
			assertThat(others.get(0).get("id").asString()).isEqualTo(aliceId);
			assertThat(others.get(0).get("name").asString()).isEqualTo("alice");

			assertThat(html(alice.next())).contains("id=\"tile-" + bobId + "\"").contains(">bob<");
			JsonNode other = rtc(alice.next(), "other");
			assertThat(other.get("id").asString()).isEqualTo(bobId);
			assertThat(other.get("name").asString()).isEqualTo("bob");

			assertThat(alice.drain(QUIET)).isEmpty();
			assertThat(bob.drain(QUIET)).isEmpty();
			assertThat(bobId).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(aliceId);
		}
	}

	@Test
	void threeParticipantsEachSeeEveryoneExactlyOnce() throws Exception {
		String room = this.calls.room("seq-three");
		try (StompTestClient a = this.calls.connect("ann"); StompTestClient b = this.calls.connect("ben");
				StompTestClient c = this.calls.connect("cat")) {
			String aId = joinAlone(a, room);
			String bId = joinAfterOthers(b, room);
			html(a.next());
			assertThat(rtc(a.next(), "other").get("id").asString()).isEqualTo(bId);

			c.send("/app/room/" + room + "/join", "{}");
			String tiles = html(c.next());
			assertThat(tiles).contains("tile-" + aId).contains("tile-" + bId);
			String cId = rtc(c.next(), "connect").get("id").asString();
			JsonNode others = rtc(c.next(), "others").get("others");
			assertThat(List.of(others.get(0).get("id").asString(), others.get(1).get("id").asString()))
					.containsExactly(aId, bId);
			for (StompTestClient earlier : List.of(a, b)) {
				assertThat(html(earlier.next())).contains("tile-" + cId).doesNotContain("tile-" + aId + "\"");
				assertThat(rtc(earlier.next(), "other").get("id").asString()).isEqualTo(cId);
				assertThat(earlier.drain(QUIET)).isEmpty();
			}
			await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(this.calls.participantsIn(room)).isEqualTo(3));
		}
	}

	@Test
	void aSignalReachesOnlyItsRecipientStampedWithTheSender() throws Exception {
		String room = this.calls.room("signal-one");
		try (StompTestClient a = this.calls.connect("amy"); StompTestClient b = this.calls.connect("bo");
				StompTestClient c = this.calls.connect("cy")) {
			String aId = joinAlone(a, room);
			String bId = joinAfterOthers(b, room);
			String cId = joinAfterOthers(c, room);
			seesJoin(a, bId);
			seesJoin(a, cId);
			seesJoin(b, cId);

			String offer = "{\"to\":\"" + bId + "\",\"from\":\"forged\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"x\":1}}";
			a.send("/app/signal", offer);
			JsonNode signal = rtc(b.next(), "signal");
			assertThat(signal.get("from").asString()).isEqualTo(aId);
			assertThat(signal.get("description").get("type").asString()).isEqualTo("offer");
			assertThat(signal.get("description").get("sdp").asString()).isEqualTo("v=0\r\n");
			assertThat(signal.get("description").has("x")).isFalse();

			b.send("/app/signal", "{\"to\":\"" + aId + "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
			JsonNode candidate = rtc(a.next(), "signal");
			assertThat(candidate.get("from").asString()).isEqualTo(bId);
			assertThat(candidate.get("candidate").get("sdpMLineIndex").asInt()).isZero();

			b.send("/app/signal", "{\"to\":\"" + aId + "\",\"candidate\":null}");
			assertThat(rtc(a.next(), "signal").get("candidate").isNull()).isTrue();
			assertThat(c.drain(QUIET)).isEmpty();
		}
	}

	@Test
	void leaveAndSocketCloseBothProduceDisconnected() throws Exception {
		String room = this.calls.room("leaving");
		try (StompTestClient a = this.calls.connect("abe"); StompTestClient b = this.calls.connect("bea")) {
			String aId = joinAlone(a, room);
			String bId = joinAfterOthers(b, room);
			seesJoin(a, bId);

			b.send("/app/room/elsewhere/leave", "{}");
			assertThat(a.drain(QUIET)).as("leaving a room one is not in changes nothing").isEmpty();
			b.send("/app/room/" + room + "/leave", "{}");
			Received left = a.next();
			assertThat(left.body().get("remove").asString()).isEqualTo("#tile-" + bId);
			assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(bId);
			b.send("/app/room/" + room + "/leave", "{}");
			assertThat(a.drain(QUIET)).as("a second leave changes nothing").isEmpty();

			StompTestClient c = this.calls.connect("cal");
			c.send("/app/room/" + room + "/join", "{}");
			html(c.next());
			String cId = rtc(c.next(), "connect").get("id").asString();
			seesJoin(a, cId);
			c.close();
			assertThat(rtc(a.next(), "disconnected").get("id").asString()).isEqualTo(cId);
			await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(this.calls.participantsIn(room)).isEqualTo(1));
			assertThat(aId).isNotBlank();
		}
	}

	@Test
	void twoRoomsNeverSeeEachOthersTraffic() throws Exception {
		String red = this.calls.room("red");
		String blue = this.calls.room("blue");
		try (StompTestClient r1 = this.calls.connect("r-one"); StompTestClient r2 = this.calls.connect("r-two");
				StompTestClient b1 = this.calls.connect("b-one")) {
			joinAlone(b1, blue);
			b1.subscribe("/topic/room." + blue);
			b1.drain(QUIET);
			joinAlone(r1, red);
			joinAfterOthers(r2, red);
			r2.send("/app/room/" + red + "/leave", "{}");
			assertThat(b1.drain(QUIET)).isEmpty();
		}
	}

	@Test
	void aUserInTwoTabsIsTwoParticipants() throws Exception {
		String room = this.calls.room("two-tabs");
		String cookie = this.calls.cookieFor("dora");
		try (StompTestClient tab1 = StompTestClient.connect(this.calls.port(), cookie);
				StompTestClient tab2 = StompTestClient.connect(this.calls.port(), cookie)) {
			String first = joinAlone(tab1, room);
			tab2.send("/app/room/" + room + "/join", "{}");
			html(tab2.next());
			String second = rtc(tab2.next(), "connect").get("id").asString();
			assertThat(rtc(tab2.next(), "others").get("others").get(0).get("id").asString()).isEqualTo(first);
			assertThat(second).isNotEqualTo(first);
			tab2.send("/app/signal", "{\"to\":\"" + first + "\",\"candidate\":null}");
			html(tab1.next());
			rtc(tab1.next(), "other");
			assertThat(rtc(tab1.next(), "signal").get("from").asString()).isEqualTo(second);
			assertThat(tab2.drain(QUIET)).as("the sender's other tab is not the recipient").isEmpty();
		}
	}

	/** What someone already in the call gets when another joins: the joiner's tile, then `other`. */
	static void seesJoin(StompTestClient client, String joinerId) throws InterruptedException {
		assertThat(html(client.next())).contains("id=\"tile-" + joinerId + "\"");
		assertThat(rtc(client.next(), "other").get("id").asString()).isEqualTo(joinerId);
	}

	/** Joins a call that already has people in it and returns the own participant id. */
	static String joinAfterOthers(StompTestClient client, String room) throws InterruptedException {
		client.send("/app/room/" + room + "/join", "{}");
		assertThat(html(client.next())).contains("id=\"tiles\"");
		String id = rtc(client.next(), "connect").get("id").asString();
		assertThat(rtc(client.next(), "others").get("others")).isNotEmpty();
		return id;
	}

	static String joinAlone(StompTestClient client, String room) throws InterruptedException {
		client.send("/app/room/" + room + "/join", "{}");
		assertThat(html(client.next())).contains("id=\"roster\"").contains("1 person in the call")
				.doesNotContain("id=\"tiles\"");
		String id = rtc(client.next(), "connect").get("id").asString();
		assertThat(rtc(client.next(), "others").get("others")).isEmpty();
		return id;
	}
}
