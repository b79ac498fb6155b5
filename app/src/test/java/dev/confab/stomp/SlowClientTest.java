package dev.confab.stomp;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.MetricsScrape;
import dev.confab.support.RawStompSocket;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading is closed at the send-buffer or send-time limit; its room-mates carry
 * on. Its participant turns away (a slow network may come back and resume) and leaves after the grace.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.call.resume-grace=2s", "confab.call.unload-grace=1s",
		"confab.cluster.heartbeat-interval=200ms", "confab.cluster.instance-timeout=1s"})
class SlowClientTest {

	@Autowired
	TestCalls calls;

	@Test
	void aClientThatStopsReadingIsClosedAndTheRoomSeesItAwayThenGone() throws Exception {
		String room = this.calls.room("slow");
		double slowClosesBefore = slowCloses();
		try (RawStompSocket slow = RawStompSocket.open(this.calls.port(), this.calls.cookieFor("sloth")).connect();
				StompTestClient sender = this.calls.connect("sender")) {
			// Like the browser, join only once the subscription is confirmed: a relay broker binds it asynchronously.
			slow.send("SUBSCRIBE\nid:me\ndestination:/user/queue/events\nreceipt:subscribed\n\n\0");
			assertThat(slow.next()).startsWith("RECEIPT\n").contains("\nreceipt-id:subscribed\n");
			slow.send("SEND\ndestination:/app/room/" + room + "/join\ncontent-type:application/json\n\n{}\0");
			JsonNode connect = JsonMapper.builder().build().readTree(body(slow.next()));
			while (!connect.has("rtc")) {
				connect = JsonMapper.builder().build().readTree(body(slow.next()));
			}
			String slowId = connect.get("rtc").get("id").asString();
			sender.subscribe("/topic/room." + room);
			sender.send("/app/room/" + room + "/join", "{}");
			sender.drain(Duration.ofMillis(500));
			slow.stopReading();

			String sdp = "a=x".repeat(12_000);
			String signal = "{\"to\":\"" + slowId + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}}";
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			boolean away = false;
			while (!away && System.nanoTime() < deadline) {
				for (int i = 0; i < 20; i++) {
					sender.send("/app/signal", signal);
				}
				away = sender.drain(Duration.ofMillis(500)).stream()
						.anyMatch(m -> m.body().path("html").asString("").contains("data-participant=\"" + slowId + "\" data-away=\"true\""));
			}
			assertThat(away).as("the room sees the slow client away").isTrue();
			assertThat(slowCloses() - slowClosesBefore).as("slow-client closes counted, once").isEqualTo(1);
			JsonNode left = sender.nextMatching(m -> m.body().has("rtc")
					&& "disconnected".equals(m.body().get("rtc").get("type").asString()), "the slow client's leave").body();
			assertThat(left.get("rtc").get("id").asString()).isEqualTo(slowId);
			assertThat(sender.isConnected()).isTrue();
			await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(this.calls.participantsIn(room)).isEqualTo(1));
		}
	}

	/** Either cause: the buffer filled, or its bytes waited past the send time limit. */
	private double slowCloses() {
		return MetricsScrape.of(this.calls.managementPort()).value("confab_stomp_slow_closes_total");
	}

	private static String body(String frame) {
		return frame.substring(frame.indexOf("\n\n") + 2, frame.lastIndexOf('\0'));
	}
}
