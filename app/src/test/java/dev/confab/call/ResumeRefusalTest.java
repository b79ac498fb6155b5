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
 * Resumes that must fail (docs/protocol.md, "Resume"): a wrong secret, another user's participant,
 * an unknown id, a malformed request, a participant whose grace ran out; and a takeover by a second
 * connection of the same user. Nobody takes over a participant that is not theirs.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.call.resume-grace=5s", "confab.call.unload-grace=1s",
		"confab.cluster.heartbeat-interval=250ms"})
class ResumeRefusalTest extends ResumeSupport {

	@Test
	void aWrongSecretAnotherUsersParticipantOrAnUnknownIdIsRefusedAndTakesNothingOver() throws Exception {
		String room = this.calls.room("resume-refused");
		String aliceCookie = this.calls.cookieFor("alice");
		String bobCookie = this.calls.cookieFor("bob");
		String malloryCookie = this.calls.cookieFor("mallory");
		try (StompTestClient aliceClient = StompTestClient.connect(this.calls.port(), aliceCookie);
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			Joined a = join(alice, room, List.of());
			Joined b = join(bob, room, List.of(a.id()));
			seesJoin(alice, b.id());
			String aliceSession = sessionOf(a.id());
			String bobSession = sessionOf(b.id());

			// While bob is connected: another user with bob's id and secret gets nowhere.
			refused(malloryCookie, resume(b, false, Map.of(a.id(), 0)), UNKNOWN);
			assertThat(sessionOf(b.id())).isEqualTo(bobSession);
			aliceClient.send("/app/signal", "{\"to\":\"" + b.id() + "\",\"candidate\":null}");
			assertThat(bob.nextRtc("signal").get("from").asString()).as("bob still gets what is sent to him")
					.isEqualTo(a.id());

			bobClient.drop();
			alice.awaitRoster(r -> r.isAway(b.id()), "bob away");
			awaitAway(b.id(), true);

			// While bob is away: neither a foreign user, nor a wrong secret, nor an unknown id resumes.
			refused(malloryCookie, resume(b, false, Map.of(a.id(), 0)), UNKNOWN);
			refused(bobCookie, resume(new Joined(b.id(), randomSecret(), 0), false, Map.of()), UNKNOWN);
			refused(bobCookie, resume(new Joined(randomId(), b.secret(), 0), false, Map.of()), UNKNOWN);
			// Bob's own cookie with alice's id and alice's own secret: alice's participant is not bob's.
			refused(bobCookie, resume(a, false, Map.of(b.id(), 0)), UNKNOWN);

			assertThat(alice.events(QUIET)).as("alice sees nothing of the refused attempts").isEmpty();
			assertThat(aliceClient.isConnected()).isTrue();
			assertThat(awayUntil(b.id())).as("bob is still away, waiting for his own resume").isNotNull();
			assertThat(awayUntil(a.id())).isNull();
			assertThat(sessionOf(a.id())).isEqualTo(aliceSession);
			assertThat(sessionOf(b.id())).as("bob's participant still names his old session").isEqualTo(bobSession);
			assertThat(this.calls.participantsIn(room)).isEqualTo(2);

			// The real bob, with the real secret, still can.
			try (StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox bobAgain = new CallInbox(bobAgainClient);
				bobAgainClient.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
				awaitResumed(bobAgain, b.id(), "bob");
				assertThat(alice.nextRtc("back").get("id").asString()).isEqualTo(b.id());
				assertThat(alice.events(QUIET)).isEmpty();
				assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "back");
			}
		}
	}

	@Test
	void aSecondConnectionTakesTheParticipantOverAndTheFirstIsToldWithoutALeave() throws Exception {
		String room = this.calls.room("resume-takeover");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie);
				StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			CallInbox bobAgain = new CallInbox(bobAgainClient);
			Joined a = join(alice, room, List.of());
			Joined b = join(bob, room, List.of(a.id()));
			seesJoin(alice, b.id());
			String oldSession = sessionOf(b.id());

			// e.g. the old socket is half-dead but not yet closed when the page reconnects
			bobAgainClient.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
			awaitResumed(bobAgain, b.id(), "bob");
			assertThat(bobClient.awaitError()).isEqualTo(TAKEN_OVER);
			bobClient.awaitClosed();
			assertThat(alice.nextRtc("back").get("id").asString()).isEqualTo(b.id());
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sessionOf(b.id()))
					.as("the participant's session").isNotEqualTo(oldSession));

			// The old session's end is no leave: the participant lives on in the new one.
			assertThat(alice.events(Duration.ofSeconds(1))).isEmpty();
			assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "back");
			assertThat(this.calls.participantsIn(room)).isEqualTo(2);
			awaitAway(b.id(), false);
			aliceClient.send("/app/signal", "{\"to\":\"" + b.id() + "\",\"candidate\":null}");
			assertThat(bobAgain.nextRtc("signal").get("from").asString()).isEqualTo(a.id());
		}
	}

	@Test
	void pastTheGraceTheParticipantLeavesExactlyOnceAndMustJoinAgain() throws Exception {
		String room = this.calls.room("resume-expired");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			Joined a = join(alice, room, List.of());
			Joined b = join(bob, room, List.of(a.id()));
			seesJoin(alice, b.id());

			long droppedAt = System.nanoTime();
			bobClient.drop();
			alice.awaitRoster(r -> r.isAway(b.id()), "bob away");
			Received left = alice.nextEvent(GRACE.plus(SWEEP_SLACK).plusSeconds(2));
			Duration after = Duration.ofNanos(System.nanoTime() - droppedAt);
			assertThat(left.body().get("remove").asString()).isEqualTo("#tile-" + b.id());
			assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(b.id());
			System.out.println("[confab-test] disconnected " + after.toMillis() + " ms after the drop (grace " + GRACE
					+ ")");
			assertThat(after).as("time from the drop to disconnected").isGreaterThanOrEqualTo(GRACE.minusMillis(100))
					.isLessThanOrEqualTo(GRACE.plus(SWEEP_SLACK));
			RosterHtml alone = alice.awaitRoster(r -> !r.lists(b.id()), "bob gone");
			assertThat(alone.participants()).containsOnlyKeys(a.id());
			assertThat(alone.title()).isEqualTo("1 person in the call");

			// Exactly once: many more sweeps run in this window.
			assertThat(alice.events(Duration.ofSeconds(2))).as("after the one disconnected").isEmpty();
			assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "disconnected");
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.calls.participantsIn(room)).isEqualTo(1));

			StompTestClient late = StompTestClient.connect(this.calls.port(), bobCookie);
			late.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
			assertThat(late.awaitError()).isIn(UNKNOWN, GRACE_OVER);
			late.awaitClosed();

			// Joining afresh works, as a new participant.
			try (StompTestClient freshClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox fresh = new CallInbox(freshClient);
				Joined again = join(fresh, room, List.of(a.id()));
				assertThat(again.id()).isNotEqualTo(b.id());
				assertThat(again.secret()).isNotEqualTo(b.secret());
				JsonNode other = seesJoin(alice, again.id());
				assertThat(other.get("name").asString()).isEqualTo("bob");
				assertThat(alice.events(QUIET)).isEmpty();
			}
		}
	}

	@Test
	void malformedResumeRequestsAreRefused() throws Exception {
		String room = this.calls.room("resume-malformed");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			Joined a = join(alice, room, List.of());
			String aliceSession = sessionOf(a.id());
			Map<String, Integer> tooMany = new LinkedHashMap<>();
			for (int i = 0; i < 65; i++) {
				tooMany.put(randomId(), 0);
			}
			List<String> bodies = List.of(
					"{}",
					"[]",
					"\"resume\"",
					"{\"id\":\"" + a.id() + "\"}",
					"{\"secret\":\"" + a.secret() + "\"}",
					"{\"id\":\"short\",\"secret\":\"" + a.secret() + "\"}",
					"{\"id\":\"" + a.id() + "x\",\"secret\":\"" + a.secret() + "\"}",
					"{\"id\":\"" + a.id().substring(1) + "!\",\"secret\":\"" + a.secret() + "\"}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret().substring(1) + "\"}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret().substring(1) + "+\"}",
					"{\"id\":7,\"secret\":\"" + a.secret() + "\"}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret() + "\",\"fresh\":\"yes\"}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret() + "\",\"peers\":[]}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret() + "\",\"peers\":{\"nope\":0}}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret() + "\",\"peers\":{\"" + randomId() + "\":\"0\"}}",
					"{\"id\":\"" + a.id() + "\",\"secret\":\"" + a.secret() + "\",\"peers\":{\"" + randomId() + "\":-1}}",
					JSON.writeValueAsString(Map.of("id", a.id(), "secret", a.secret(), "peers", tooMany)));
			for (String body : bodies) {
				refused(bobCookie, body, MALFORMED, "for body " + body);
			}
			assertThat(alice.events(QUIET)).as("alice is not disturbed").isEmpty();
			assertThat(sessionOf(a.id())).isEqualTo(aliceSession);
			assertThat(awayUntil(a.id())).isNull();
		}
	}
}
