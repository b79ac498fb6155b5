package dev.confab.stomp;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.RawStompSocket;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;

/** A socket that opens and never sends CONNECT is closed at the connect time limit (1 s here, 10 s by default). */
@ConfabServerTest
@TestPropertySource(properties = "confab.stomp.connect-timeout=1s")
class ConnectTimeoutTest {

	@Autowired
	TestCalls calls;

	@Test
	void aSocketThatNeverConnectsIsClosed() throws Exception {
		try (RawStompSocket idle = RawStompSocket.open(this.calls.port(), this.calls.cookieFor("idle"))) {
			long start = System.nanoTime();
			assertThat(idle.next()).startsWith("ERROR\n").contains("No CONNECT frame in time");
			idle.awaitClose();
			assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 5_000L);
		}
	}
}
