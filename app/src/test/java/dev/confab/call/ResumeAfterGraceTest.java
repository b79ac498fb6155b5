package dev.confab.call;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.CallInbox;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.TestCalls;

import static dev.confab.call.ResumeTest.GRACE_OVER;
import static dev.confab.call.ResumeTest.QUIET;
import static dev.confab.call.ResumeTest.UNKNOWN;
import static dev.confab.call.ResumeTest.join;
import static dev.confab.call.ResumeTest.resume;
import static dev.confab.call.ResumeTest.seesJoin;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resume that comes after the grace ran out but before any sweep removed the participant: the
 * heartbeat (and with it the expiry sweep) is slowed down to once a minute and the grace's end is
 * moved into the past in the database, so the resume itself must notice, refuse, and let the
 * participant leave, exactly once.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.cluster.heartbeat-interval=1m", "confab.cluster.instance-timeout=3m"})
class ResumeAfterGraceTest {

	@Autowired
	TestCalls calls;

	@Autowired
	DatabaseClient db;

	@Test
	void aResumeAfterTheGraceIsRefusedAndTheParticipantLeavesOnce() throws Exception {
		String room = this.calls.room("grace-over");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			ResumeTest.Joined a = join(alice, room, List.of());
			ResumeTest.Joined b = join(new CallInbox(bobClient), room, List.of(a.id()));
			seesJoin(alice, b.id());

			bobClient.drop();
			alice.awaitRoster(r -> r.isAway(b.id()), "bob away");
			// The roster leaves under the room's lock, a moment before the away commits: retry until it has.
			await("bob's row, away, moved past its grace").atMost(Duration.ofSeconds(5)).until(() -> this.db
					.sql("UPDATE participants SET away_until = :past WHERE id = :id AND away_until IS NOT NULL")
					.bind("past", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10)).bind("id", b.id())
					.fetch().rowsUpdated().block(Duration.ofSeconds(5)), moved -> moved == 1);

			StompTestClient late = StompTestClient.connect(this.calls.port(), bobCookie);
			late.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
			assertThat(late.awaitError()).isEqualTo(GRACE_OVER);
			late.awaitClosed();

			Received left = alice.nextEvent(Duration.ofSeconds(5));
			assertThat(left.body().get("remove").asString()).isEqualTo("#tile-" + b.id());
			assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(b.id());
			alice.awaitRoster(r -> !r.lists(b.id()), "bob gone");
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.calls.participantsIn(room)).isEqualTo(1));

			// Once gone, it is unknown; a second late resume changes nothing for the others.
			StompTestClient later = StompTestClient.connect(this.calls.port(), bobCookie);
			later.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
			assertThat(later.awaitError()).isEqualTo(UNKNOWN);
			assertThat(alice.events(QUIET)).isEmpty();
			assertThat(alice.rtcTypesSeen()).containsExactly("connect", "others", "other", "disconnected");

			try (StompTestClient freshClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				ResumeTest.Joined again = join(new CallInbox(freshClient), room, List.of(a.id()));
				assertThat(again.id()).isNotEqualTo(b.id());
				seesJoin(alice, again.id());
			}
		}
	}
}
