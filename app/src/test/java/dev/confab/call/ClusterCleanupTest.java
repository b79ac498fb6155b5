package dev.confab.call;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static dev.confab.call.CallSignalingTest.joinAlone;
import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the survivors do about an instance that stopped heartbeating, and the cleanup of long-empty
 * rooms, with a fast heartbeat and a short grace. The dead instance is a row this test writes: an
 * instance that went silent an hour ago, with one participant in a room where a live one is.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.cluster.heartbeat-interval=200ms", "confab.cluster.instance-timeout=1s",
		"confab.call.resume-grace=2s", "confab.call.unload-grace=1s",
		"confab.rooms.empty-retention=1h", "confab.rooms.cleanup-interval=200ms"})
class ClusterCleanupTest {

	private static final Duration QUIET = Duration.ofMillis(800);

	@Autowired
	TestCalls calls;

	@Autowired
	DatabaseClient db;

	@Test
	void participantsOfASilentInstanceTurnAwayThenLeaveOnceAfterTheGrace() throws Exception {
		String room = this.calls.room("ghosts");
		try (StompTestClient alice = this.calls.connect("alice")) {
			joinAlone(alice, room);
			alice.subscribe("/topic/room." + room);
			OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
			this.db.sql("INSERT INTO instances (id, started_at, heartbeat_at) VALUES ('crashed', :at, :at)")
					.bind("at", anHourAgo).then().block();
			this.db.sql("INSERT INTO participants (id, room_slug, session_id, user_name, screen_name, instance_id, joined_at,"
							+ " announced) VALUES ('GhostGhostGhostGhost01', :room, 'ghost-session', 'ghost-user', 'ghost',"
							+ " 'crashed', :at, TRUE)")
					.bind("room", room).bind("at", anHourAgo).then().block();

			StompTestClient.Received away = alice.nextMatching(m -> m.body().path("html").asString("").contains("data-away"),
					"a roster with the ghost away");
			assertThat(html(away)).contains("2 people in the call").contains("data-participant=\"GhostGhostGhostGhost01\" data-away=\"true\"");
			long awaySeen = System.nanoTime();
			JsonNode gone = rtc(alice.nextMatching(m -> m.body().has("rtc"), "an rtc event"), "disconnected");
			assertThat(gone.get("id").asString()).isEqualTo("GhostGhostGhostGhost01");
			assertThat(Duration.ofNanos(System.nanoTime() - awaySeen)).as("the leave waits for the grace")
					.isGreaterThan(Duration.ofMillis(1500));
			assertThat(alice.drain(QUIET)).allSatisfy(m -> assertThat(html(m)).contains("1 person in the call"));
			assertThat(count("SELECT COUNT(*) AS n FROM participants WHERE instance_id = 'crashed'")).isZero();
			assertThat(count("SELECT COUNT(*) AS n FROM instances WHERE id = 'crashed'")).isZero();
			assertThat(this.calls.participantsIn(room)).as("the live participant stays").isEqualTo(1);
		}
	}

	@Test
	void roomsEmptyPastTheRetentionAreDeletedButBusyAndRecentOnesStay() throws Exception {
		String stale = this.calls.room("long-empty");
		String busy = this.calls.room("long-busy");
		String recent = this.calls.room("just-made");
		try (StompTestClient bea = this.calls.connect("bea")) {
			joinAlone(bea, busy);
			this.db.sql("UPDATE rooms SET last_active_at = :at WHERE slug IN (:stale, :busy)")
					.bind("at", OffsetDateTime.now(ZoneOffset.UTC).minusHours(2))
					.bind("stale", stale).bind("busy", busy).then().block();

			await().atMost(Duration.ofSeconds(10)).until(() -> roomCount(stale) == 0);
			assertThat(roomCount(busy)).isEqualTo(1);
			assertThat(roomCount(recent)).isEqualTo(1);
		}
	}

	private long roomCount(String slug) {
		return this.db.sql("SELECT COUNT(*) AS n FROM rooms WHERE slug = :slug").bind("slug", slug)
				.map(row -> row.get("n", Long.class)).one().block();
	}

	private long count(String sql) {
		return this.db.sql(sql).map(row -> row.get("n", Long.class)).one().block();
	}
}
