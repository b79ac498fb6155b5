package dev.confab.stomp;

import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.RawStompSocket;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transport from raw frames: what it accepts, what it refuses, and that a refusal harms no one else. */
@ConfabServerTest
class StompTransportTest {

	@Autowired
	TestCalls calls;

	String cookie;

	@BeforeEach
	void setUp() {
		this.cookie = this.calls.cookieFor("raw");
	}

	@Test
	void connectIsAnsweredWithConnectedAndHeartbeats() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie)) {
			socket.send("CONNECT\naccept-version:1.1,1.2\nhost:localhost\nheart-beat:10000,10000\nlogin:evil\npasscode:x\n\n\0");
			String connected = socket.next();
			assertThat(connected).startsWith("CONNECTED\n").contains("version:1.2").contains("heart-beat:10000,10000");
		}
	}

	@Test
	void disconnectWithReceiptGetsTheReceiptThenTheSocketCloses() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			socket.send("DISCONNECT\nreceipt:bye-1\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT\n").contains("receipt-id:bye-1");
			socket.awaitClose();
		}
	}

	@Test
	void malformedFrameGetsErrorAndCloseWhileOthersCarryOn() throws Exception {
		try (RawStompSocket good = RawStompSocket.open(this.calls.port(), this.cookie).connect();
				RawStompSocket bad = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			bad.send("HELLO\nfoo:bar\n\n\0");
			assertThat(bad.next()).startsWith("ERROR\n").contains("message:Malformed");
			bad.awaitClose();
			assertThatStillWorks(good);
		}
	}

	@Test
	void frameOverTheLimitGetsErrorAndCloseWhileOthersCarryOn() throws Exception {
		try (RawStompSocket good = RawStompSocket.open(this.calls.port(), this.cookie).connect();
				RawStompSocket big = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			String body = "x".repeat(70 * 1024);
			big.send("SEND\ndestination:/app/signal\ncontent-type:application/json\n\n" + body + "\0");
			assertThat(big.next()).startsWith("ERROR\n").contains("larger than 65536");
			big.awaitClose();
			assertThatStillWorks(good);
		}
	}

	@Test
	void frameJustUnderTheLimitIsAccepted() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			String padding = "x".repeat(60 * 1024);
			socket.send("SUBSCRIBE\nid:s1\ndestination:/topic/lobby\nreceipt:r1\npad:" + padding + "\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT").contains("receipt-id:r1");
		}
	}

	@Test
	void framesBeforeConnectAreRefused() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie)) {
			socket.send("SUBSCRIBE\nid:1\ndestination:/topic/lobby\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n").contains("Expected CONNECT first");
			socket.awaitClose();
		}
	}

	@Test
	void unsupportedCommandsAreRefused() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			socket.send("BEGIN\ntransaction:t1\n\n\0");
			assertThat(socket.next()).startsWith("ERROR\n").contains("BEGIN is not supported");
			socket.awaitClose();
		}
	}

	@Test
	void sendingStraightToTheBrokerIsRefused() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			socket.send("SEND\ndestination:/topic/lobby\n\n{\"html\":\"<p>spoof</p>\"}\0");
			assertThat(socket.next()).startsWith("ERROR\n").contains("SEND is allowed to /app/");
			socket.awaitClose();
		}
	}

	/** spring-messaging drops a SEND no handler maps without a word; the protocol promises an ERROR. */
	@Test
	void sendingToAnApplicationDestinationNobodyHandlesIsRefused() throws Exception {
		for (String destination : new String[] {"/app/nope", "/app/room", "/app/room/x/y/join", "/app/room/general/jump",
				"/app/signal/extra"}) {
			try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
				socket.send("SEND\ndestination:" + destination + "\ncontent-type:application/json\n\n{}\0");
				assertThat(socket.next(java.time.Duration.ofSeconds(5))).as(destination).startsWith("ERROR\n")
						.endsWith("\n\nUnknown destination: " + destination + "\0");
				socket.awaitClose();
			}
		}
	}

	@Test
	void subscribingToSomeoneElsesQueueOrAnythingButARoomsRosterIsRefused() throws Exception {
		for (String destination : new String[] {"/topic/events-userAAAAAAAAAAAAAAAAAAAAAA", "/topic/room.General",
				"/topic/room.a.b", "/topic/room.", "/queue/events", "/user/someone/queue/events", "/topic/#"}) {
			try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
				socket.send("SUBSCRIBE\nid:1\ndestination:" + destination + "\n\n\0");
				assertThat(socket.next()).as(destination).startsWith("ERROR\n");
				socket.awaitClose();
			}
		}
	}

	/** The room page shows the roster before joining, so any session may follow a room's roster topic. */
	@Test
	void anyRoomsRosterTopicMayBeFollowedWithoutJoining() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			socket.send("SUBSCRIBE\nid:1\ndestination:/topic/room.general\nreceipt:r1\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT\n").contains("receipt-id:r1");
		}
	}

	@Test
	void floodingBeyondTheRateLimitIsRefused() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.cookie).connect()) {
			// 150 valid frames that make no output, in one WebSocket message: they arrive together, so the
			// burst of 100 is exceeded whatever the machine's speed, and only the refusal comes back.
			StringBuilder flood = new StringBuilder();
			for (int i = 0; i < 150; i++) {
				flood.append("UNSUBSCRIBE\nid:none-").append(i).append("\n\n\0");
			}
			socket.send(flood.toString());
			assertThat(socket.next()).startsWith("ERROR\n").contains("Too many frames");
			socket.awaitClose();
		}
	}

	@Test
	void handshakeWithoutCookieOrFromAnotherSiteIsRefused() {
		assertThatThrownBy(() -> RawStompSocket.open(this.calls.port(), null))
				.isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class)
				.satisfies(ex -> assertThat(status(ex)).isEqualTo(401));
		assertThatThrownBy(() -> RawStompSocket.open(this.calls.port(), this.cookie, "https://evil.example"))
				.satisfies(ex -> assertThat(status(ex)).isEqualTo(403));
		assertThatThrownBy(() -> RawStompSocket.open(this.calls.port(), this.cookie, null))
				.satisfies(ex -> assertThat(status(ex)).isEqualTo(403));
		assertThatThrownBy(() -> RawStompSocket.open(this.calls.port(), "confab_id=forged.value"))
				.satisfies(ex -> assertThat(status(ex)).isEqualTo(401));
	}

	private static int status(Throwable ex) {
		return ((WebSocketHandshakeException) ex.getCause()).getResponse().statusCode();
	}

	private static void assertThatStillWorks(RawStompSocket socket) throws InterruptedException {
		socket.send("SUBSCRIBE\nid:still\ndestination:/topic/lobby\nreceipt:alive\n\n\0");
		assertThat(socket.next()).startsWith("RECEIPT").contains("receipt-id:alive");
	}
}
