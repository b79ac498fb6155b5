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
 * What the resume tests share: the grace and the messages they expect, the join and resume steps
 * as a client does them, and looks at presence in the database.
 */
abstract class ResumeSupport {

	static final Duration GRACE = Duration.ofSeconds(5);

	static final Duration UNLOAD_GRACE = Duration.ofSeconds(1);

	/** A leave that happens "at once" comes well before any grace could have run out. */
	static final Duration AT_ONCE = Duration.ofSeconds(3);

	/** The sweep runs every 250 ms; a loaded CI machine gets generous slack on top. */
	static final Duration SWEEP_SLACK = Duration.ofSeconds(3);

	static final Duration QUIET = Duration.ofMillis(700);

	static final String UNKNOWN = "Cannot resume: unknown participant or wrong secret; join again.";

	static final String GRACE_OVER = "Cannot resume: the grace period is over; join again.";

	static final String MALFORMED = "Not a resume request.";

	static final String TAKEN_OVER = "This call continues on another connection.";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final SecureRandom RANDOM = new SecureRandom();

	@Autowired
	TestCalls calls;

	@Autowired
	DatabaseClient db;

	/** A participant as its own {@code connect} described it: what a client keeps to resume. */
	record Joined(String id, String secret, int epoch) {
	}



	/**
	 * Joins and follows the room topic as the browser does; checks the join sequence's own part
	 * ({@code connect} with id, secret and epoch, {@code others} in joining order).
	 */
	static Joined join(CallInbox inbox, String room, List<String> othersIds) throws InterruptedException {
		inbox.client().send("/app/room/" + room + "/join", "{}");
		String first = html(inbox.nextEvent());
		RosterHtml roster = RosterHtml.of(first);
		assertThat(roster.participants()).hasSize(othersIds.size() + 1);
		assertThat(roster.participants().keySet()).containsAll(othersIds);
		JsonNode connect = inbox.nextRtc("connect");
		String id = connect.get("id").asString();
		assertThat(id).matches("[A-Za-z0-9_-]{22}").isNotIn(othersIds);
		String secret = connect.get("secret").asString();
		assertThat(secret).as("resume secret").matches("[A-Za-z0-9_-]{43}");
		assertThat(connect.get("epoch").asInt()).isZero();
		assertThat(roster.isPresent(id)).as("the joiner's first roster lists it").isTrue();
		JsonNode others = inbox.nextRtc("others").get("others");
		List<String> listed = new ArrayList<>();
		others.forEach(other -> listed.add(other.get("id").asString()));
		assertThat(listed).containsExactlyElementsOf(othersIds);
		inbox.client().subscribe("/topic/room." + room);
		return new Joined(id, secret, 0);
	}

	/** Someone already in the call sees a join: the tile, then {@code other}. Returns {@code other}. */
	static JsonNode seesJoin(CallInbox inbox, String joinerId) throws InterruptedException {
		assertThat(html(inbox.nextEvent())).contains("id=\"tile-" + joinerId + "\"");
		JsonNode other = inbox.nextRtc("other");
		assertThat(other.get("id").asString()).isEqualTo(joinerId);
		assertThat(other.get("epoch").asInt()).isZero();
		return other;
	}

	/** The resume sequence: the roster (with tiles the page lacks) first, then {@code resumed}. */
	static JsonNode awaitResumed(CallInbox inbox, String id, String name) throws InterruptedException {
		Received first = inbox.nextEvent();
		RosterHtml roster = RosterHtml.of(html(first));
		assertThat(roster.isPresent(id)).as("the resumed participant's roster shows it back").isTrue();
		JsonNode resumed = inbox.nextRtc("resumed");
		assertThat(resumed.get("id").asString()).isEqualTo(id);
		assertThat(resumed.get("name").asString()).isEqualTo(name);
		return resumed;
	}

	static void assertOthers(JsonNode resumed, List<String> ids, List<String> names, List<Integer> epochs,
			List<Boolean> live) {
		JsonNode others = resumed.get("others");
		assertThat(others).as("others of %s", resumed).hasSize(ids.size());
		for (int i = 0; i < ids.size(); i++) {
			JsonNode other = others.get(i);
			assertThat(other.get("id").asString()).isEqualTo(ids.get(i));
			assertThat(other.get("name").asString()).isEqualTo(names.get(i));
			assertThat(other.get("epoch").asInt()).isEqualTo(epochs.get(i));
			assertThat(other.get("live").asBoolean()).as("live of %s", other).isEqualTo(live.get(i));
		}
	}

	/** A new connection of that user tries the body at /app/resume: ERROR {@code message}, then the socket closes. */
	void refused(String cookie, String body, String message) throws Exception {
		refused(cookie, body, message, "");
	}

	void refused(String cookie, String body, String message, String what) throws Exception {
		StompTestClient client = StompTestClient.connect(this.calls.port(), cookie);
		client.send("/app/resume", body);
		assertThat(client.awaitError()).as("ERROR %s", what).isEqualTo(message);
		client.awaitClosed();
		assertThat(client.drain(Duration.ZERO)).as("nothing but the ERROR %s", what).isEmpty();
	}

	static String resume(Joined who, boolean fresh, Map<String, Integer> peers) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", who.id());
		body.put("secret", who.secret());
		body.put("fresh", fresh);
		body.put("peers", peers);
		return JSON.writeValueAsString(body);
	}

	static String randomSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String randomId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	OffsetDateTime awayUntil(String participantId) {
		return this.db.sql("SELECT away_until FROM participants WHERE id = :id").bind("id", participantId)
				.map(row -> java.util.Optional.ofNullable(row.get("away_until", OffsetDateTime.class)))
				.one()
				.blockOptional(Duration.ofSeconds(5))
				.orElseThrow(() -> new AssertionError("No participant " + participantId))
				.orElse(null);
	}

	/**
	 * The session the participant's row names. Events are sent under the room's lock before the
	 * transaction commits, so the row may lag the event a moment: wait until it is there.
	 */
	String sessionOf(String participantId) {
		return await().atMost(Duration.ofSeconds(5)).until(() -> this.db.sql("SELECT session_id FROM participants WHERE id = :id")
				.bind("id", participantId).map(row -> row.get("session_id", String.class)).one()
				.block(Duration.ofSeconds(5)), java.util.Objects::nonNull);
	}

	/** Waits (the commit may lag the event) until the participant's row says it is, or is not, away. */
	void awaitAway(String participantId, boolean away) {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(awayUntil(participantId) != null)
				.as("%s away in the database", participantId).isEqualTo(away));
	}

	static String body(String frame) {
		int start = frame.indexOf("\n\n");
		int end = frame.lastIndexOf('\0');
		return frame.substring(start + 2, end < 0 ? frame.length() : end);
	}
}
