package dev.confab.stomp;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.RawStompSocket;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;

/** Ping and pong are WebSocket control frames: whatever their payload says, it is no STOMP frame. */
@ConfabServerTest
class WebSocketControlFramesTest {

	/** Would be refused (no id) if it were taken for a frame. */
	private static final String STOMP_LOOKALIKE = "SUBSCRIBE\ndestination:/queue/x\n\n\0";

	@Autowired
	TestCalls calls;

	@Test
	void anUnsolicitedPongOrAPingCarryingAFrameIsNotReadAsOne() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.calls.cookieFor("ponger")).connect()) {
			socket.sendPong(STOMP_LOOKALIKE);
			socket.sendPing(STOMP_LOOKALIKE);
			socket.send("SUBSCRIBE\nid:s1\ndestination:/topic/lobby\nreceipt:after-control-frames\n\n\0");
			assertThat(socket.next()).as("the first frame after the control frames").startsWith("RECEIPT\n")
					.contains("receipt-id:after-control-frames");
			assertThat(socket.isClosed()).isFalse();
		}
	}

	@Test
	void aPongBeforeConnectIsNotAFrameBeforeConnect() throws Exception {
		try (RawStompSocket socket = RawStompSocket.open(this.calls.port(), this.calls.cookieFor("early-ponger"))) {
			socket.sendPong(STOMP_LOOKALIKE);
			socket.connect();
			socket.send("SUBSCRIBE\nid:s1\ndestination:/topic/lobby\nreceipt:r1\n\n\0");
			assertThat(socket.next()).startsWith("RECEIPT\n").contains("receipt-id:r1");
		}
	}
}
