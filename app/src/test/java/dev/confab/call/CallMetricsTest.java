package dev.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.CallInbox;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.MetricsScrape;
import dev.confab.support.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scripted call through the real STOMP endpoint, then what Prometheus scrapes from the
 * management port: joins and resumes by outcome, the join and signal latency histograms,
 * participants and rooms on this instance, and no room, name or id in any series.
 */
@ConfabServerTest
// A context of its own (the property only sets it apart from the shared one): no other test's
// calls move these counters and gauges; closed afterwards.
@TestPropertySource(properties = "management.server.port=0")
@DirtiesContext
class CallMetricsTest extends ResumeSupport {

	private static final String JOINS = "confab_call_joins_total";

	private static final String RESUMES = "confab_call_resumes_total";

	private static final String PARTICIPANTS = "confab_call_participants";

	private static final String ROOMS = "confab_call_rooms";

	private static final String JOIN_BUCKETS = "confab_call_join_duration_seconds_bucket";

	private static final String JOIN_COUNT = "confab_call_join_duration_seconds_count";

	private static final String SIGNAL_COUNT = "confab_call_signal_duration_seconds_count";

	@Test
	void aCallWithASignalAndAResumeMovesTheCallMeters() throws Exception {
		String room = this.calls.room("metrics-" + suffix());
		String bobCookie = this.calls.cookieFor("metermilo");
		MetricsScrape before = scrape();
		Joined a;
		Joined b;
		try (StompTestClient aliceClient = this.calls.connect("metermira");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			a = join(alice, room, List.of());
			b = join(bob, room, List.of(a.id()));
			seesJoin(alice, b.id());

			// Counted once the join's transaction committed, which may be a moment after its messages.
			awaitDelta(before, JOINS, 2, "outcome", "ok");
			MetricsScrape inCall = scrape();
			assertThat(delta(before, inCall, JOINS, "outcome", "refused")).isZero();
			assertThat(delta(before, inCall, JOIN_COUNT)).as("joins timed").isEqualTo(2);
			assertThat(delta(before, inCall, JOIN_BUCKETS, "le", "+Inf")).isEqualTo(2);
			assertThat(inCall.matching(JOIN_BUCKETS)).as("a histogram's buckets, for histogram_quantile").hasSizeGreaterThan(10);
			assertThat(delta(before, inCall, PARTICIPANTS)).isEqualTo(2);
			assertThat(delta(before, inCall, ROOMS)).isEqualTo(1);

			aliceClient.send("/app/signal", "{\"to\":\"" + b.id() + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
			assertThat(bob.nextRtc("signal").get("from").asString()).isEqualTo(a.id());
			// Timed once the relay completed, which may be a moment after bob has it.
			awaitDelta(before, SIGNAL_COUNT, 1);

			bobClient.drop();
			awaitDelta(before, PARTICIPANTS, 1);
			try (StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				bobAgainClient.send("/app/resume", resume(b, false, Map.of(a.id(), 0)));
				awaitResumed(new CallInbox(bobAgainClient), b.id(), "metermilo");
				awaitDelta(before, RESUMES, 1, "outcome", "ok");
				awaitDelta(before, PARTICIPANTS, 2);
			}
		}
		awaitDelta(before, PARTICIPANTS, 0);
		awaitDelta(before, ROOMS, 0);
		MetricsScrape after = scrape();
		assertThat(delta(before, after, RESUMES, "outcome", "refused")).isZero();
		assertThat(delta(before, after, JOINS)).as("no join but the two").isEqualTo(2);
		assertThat(after.text()).as("bounded tags: no room, name or id").doesNotContain(room, "metermira", "metermilo",
				a.id(), b.id());
	}

	@Test
	void refusedJoinsAndResumesCountAsRefusedAndAreNotTimed() throws Exception {
		MetricsScrape before = scrape();
		String nowhere = "no-such-room-" + suffix();
		try (StompTestClient lost = this.calls.connect("meterlost")) {
			lost.send("/app/room/" + nowhere + "/join", "{}");
			assertThat(lost.awaitError()).isEqualTo("There is no room " + nowhere + ".");
		}
		refused(this.calls.cookieFor("meterstranger"), resume(new Joined(randomId(), randomSecret(), 0), false, Map.of()),
				UNKNOWN);

		awaitDelta(before, RESUMES, 1, "outcome", "refused");
		MetricsScrape after = scrape();
		assertThat(delta(before, after, JOINS, "outcome", "refused")).isEqualTo(1);
		assertThat(delta(before, after, JOINS, "outcome", "ok")).isZero();
		assertThat(delta(before, after, RESUMES, "outcome", "ok")).isZero();
		assertThat(delta(before, after, JOIN_COUNT)).as("refused joins are not timed").isZero();
		assertThat(delta(before, after, "confab_stomp_errors_total", "reason", "application"))
			.as("both refused with an ERROR the application decided").isEqualTo(2);
		assertThat(after.text()).doesNotContain(nowhere);
	}

	private void awaitDelta(MetricsScrape before, String name, double expected, String... labels) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(delta(before, scrape(), name, labels)).as(name).isEqualTo(expected));
	}

	private static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

	private MetricsScrape scrape() {
		return MetricsScrape.of(this.calls.managementPort());
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}
}
