package dev.confab.stomp;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.MetricsScrape;
import dev.confab.support.RawStompSocket;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transport's meters as Prometheus scrapes them from the management port: sessions, frames by
 * command in and out, ERRORs by the reason's category, the broker's state.
 */
@ConfabServerTest
// A context of its own (the property only sets it apart from the shared one): no other test's
// sessions move these counters and gauges; closed afterwards.
@TestPropertySource(properties = "management.server.port=0")
@DirtiesContext
class StompMetricsTest {

	private static final String FRAMES = "confab_stomp_frames_total";

	private static final String ERRORS = "confab_stomp_errors_total";

	private static final String SESSIONS = "confab_stomp_sessions";

	@Autowired
	TestCalls calls;

	@Test
	void sessionsAndFramesAreCountedByCommand() throws Exception {
		String room = this.calls.room("stomp-metrics-" + UUID.randomUUID().toString().substring(0, 8));
		MetricsScrape before = scrape();
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.calls.cookieFor("metered")).connect()) {
			awaitSessions(before.value(SESSIONS) + 1);
			socket.send("SUBSCRIBE\nid:q\ndestination:/user/queue/events\nreceipt:subscribed\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT\n");
			socket.send("\n");
			socket.send("SEND\ndestination:/app/room/" + room + "/roster\nreceipt:asked\n\n\0");
			List<String> answers = List.of(socket.next(), socket.next());
			assertThat(answers).anySatisfy(frame -> assertThat(frame).startsWith("MESSAGE\n").contains("roster"))
				.anySatisfy(frame -> assertThat(frame).startsWith("RECEIPT\n").contains("receipt-id:asked"));

			MetricsScrape during = scrape();
			assertThat(delta(before, during, "in", "CONNECT")).isEqualTo(1);
			assertThat(delta(before, during, "in", "SUBSCRIBE")).isEqualTo(1);
			assertThat(delta(before, during, "in", "SEND")).isEqualTo(1);
			assertThat(delta(before, during, "in", StompMetrics.HEARTBEAT)).isEqualTo(1);
			assertThat(delta(before, during, "out", "CONNECTED")).isEqualTo(1);
			assertThat(delta(before, during, "out", "RECEIPT")).isEqualTo(2);
			assertThat(delta(before, during, "out", "MESSAGE")).isEqualTo(1);
			assertThat(during.value(SESSIONS) - before.value(SESSIONS)).isEqualTo(1);
		}
		awaitSessions(before.value(SESSIONS));
	}

	@Test
	void errorsAreCountedByWhereTheRefusalWasDecided() throws Exception {
		MetricsScrape before = scrape();
		String cookie = this.calls.cookieFor("refused");
		refused(RawStompSocket.open(this.calls.port(), cookie).connect(), "SEND\ndestination:/topic/lobby\n\n{}\0",
				"SEND is allowed to /app/");
		refused(RawStompSocket.open(this.calls.port(), cookie), "SUBSCRIBE\nid:s\ndestination:/topic/lobby\n\n\0",
				"Expected CONNECT first");
		refused(RawStompSocket.open(this.calls.port(), cookie).connect(), "HELLO\n\n\0", "Malformed STOMP frame");

		MetricsScrape after = scrape();
		for (ErrorReason reason : ErrorReason.values()) {
			assertThat(after.matching(ERRORS, "reason", reason.tag())).as("a series for %s, counted or not", reason).hasSize(1);
		}
		assertThat(after.value(ERRORS, "reason", "protocol") - before.value(ERRORS, "reason", "protocol")).isEqualTo(2);
		assertThat(after.value(ERRORS, "reason", "frame") - before.value(ERRORS, "reason", "frame")).isEqualTo(1);
		assertThat(after.value(ERRORS) - before.value(ERRORS)).as("ERRORs of any reason").isEqualTo(3);
		assertThat(delta(before, after, "out", "ERROR")).isEqualTo(3);
		assertThat(after.text()).as("no ERROR message in any tag").doesNotContain("SEND is allowed", "Expected CONNECT", "Malformed");
	}

	@Test
	void theBrokerIsReportedConnected() {
		assertThat(scrape().value("confab_broker_connected")).isEqualTo(1);
	}

	/** The frame is answered with an ERROR that says so, and the socket closes. */
	private static void refused(RawStompSocket socket, String frame, String error) throws Exception {
		try (socket) {
			socket.send(frame);
			assertThat(socket.next()).startsWith("ERROR\n").contains(error);
			socket.awaitClose();
		}
	}

	private static double delta(MetricsScrape before, MetricsScrape after, String direction, String command) {
		return after.value(FRAMES, "direction", direction, "command", command)
				- before.value(FRAMES, "direction", direction, "command", command);
	}

	private void awaitSessions(double expected) {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(scrape().value(SESSIONS)).isEqualTo(expected));
	}

	private MetricsScrape scrape() {
		return MetricsScrape.of(this.calls.managementPort());
	}
}
