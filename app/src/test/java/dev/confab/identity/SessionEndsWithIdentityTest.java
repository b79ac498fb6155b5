package dev.confab.identity;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A STOMP session ends when the identity it was opened under ends: at the cookie's expiry the
 * client gets an ERROR saying so, and no TURN credential is minted from that second on, however
 * often it asks.
 */
@ConfabServerTest
@TestPropertySource(properties = { "confab.ice.turn-urls=turn:turn.test:3478?transport=udp",
		"confab.ice.turn-secrets=expiry-test-secret", "confab.ice.credential-lifetime=1h" })
class SessionEndsWithIdentityTest {

	/** Long enough to connect, join and refresh on a busy machine, short enough for a test. */
	private static final Duration LEFT = Duration.ofSeconds(6);

	private static final long CREDENTIAL_LIFETIME_SECONDS = 3600;

	@Autowired
	TestCalls calls;

	@Autowired
	IdentityProperties properties;

	@Value("${confab.data-dir}")
	String dataDir;

	@Test
	void aSessionWhoseCookieExpiresIsClosedWithAnErrorAndGetsNoCredentialAfterwards() throws Exception {
		String room = this.calls.room("expiring-login");
		// The first WebSocket client of the JVM takes seconds to start: not out of the short login.
		try (StompTestClient warmUp = this.calls.connect("warm")) {
			assertThat(warmUp.isConnected()).isTrue();
		}
		String cookie = shortLivedCookie(new ConfabUser(UUID.randomUUID(), "fleeting"));
		Instant expiry = cookies(Clock.systemUTC()).verify(cookie.substring(cookie.indexOf('=') + 1)).orElseThrow()
			.expiresAt();
		try (StompTestClient client = StompTestClient.connect(this.calls.port(), cookie)) {
			client.send("/app/room/" + room + "/join", "{}");
			html(client.next());
			JsonNode connect = rtc(client.next(), "connect");
			assertThat(mintedAt(connect)).isLessThan(expiry.getEpochSecond());
			rtc(client.next(), "others");
			client.send("/app/ice", "{}");
			assertThat(mintedAt(rtc(client.next(), "ice"))).as("a refresh while the login lasts")
				.isLessThan(expiry.getEpochSecond());

			// A client refreshing its credential again and again, through the expiry.
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
				askForIce(client);
				return !client.isConnected();
			});
			assertThat(client.awaitError()).isEqualTo("Logged out: your login expired.");

			// Frames of one socket arrive in order: every event the server sent is queued by now.
			List<JsonNode> credentials = client.drain(Duration.ZERO).stream()
				.map(received -> received.body().get("rtc"))
				.filter(rtc -> rtc != null && "ice".equals(rtc.get("type").asString()))
				.toList();
			assertThat(credentials).allSatisfy(ice -> assertThat(mintedAt(ice))
				.as("minted before the login expired").isLessThan(expiry.getEpochSecond()));
		}
	}

	/** The server may close the socket between the check and the send: that is what we wait for. */
	private static void askForIce(StompTestClient client) {
		if (client.isConnected()) {
			try {
				client.send("/app/ice", "{}");
			}
			catch (RuntimeException closedMeanwhile) {
				// The next poll sees the session gone.
			}
		}
	}

	/** When the TURN credential was minted: its username is {@code <expiry>:<participant>}. */
	private static long mintedAt(JsonNode event) {
		JsonNode turn = event.get("iceServers").get(0);
		return Long.parseLong(turn.get("username").asString().split(":")[0]) - CREDENTIAL_LIFETIME_SECONDS;
	}

	/** A cookie as the server issues it, but issued so long ago that only {@link #LEFT} of it is left. */
	private String shortLivedCookie(ConfabUser user) {
		Clock issuedEarlier = Clock.offset(Clock.systemUTC(), LEFT.minus(this.properties.cookieLifetime()));
		return IdentityCookies.COOKIE_NAME + "=" + cookies(issuedEarlier).issue(user, 0, false).getValue();
	}

	/** The server's own key (the generated one in its data dir), with another clock. */
	private IdentityCookies cookies(Clock clock) {
		return new IdentityCookies(this.properties,
				SigningKeys.resolve(this.properties.signingKey(), Path.of(this.dataDir)), clock);
	}
}
