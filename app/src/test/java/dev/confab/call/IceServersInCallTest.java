package dev.confab.call;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.confab.support.BrowserForms;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICE servers reach a participant in its own {@code connect} event, with a TURN credential minted
 * for it alone; a page never carries them. Relay-only rooms set the relay transport policy.
 */
@ConfabServerTest
@TestPropertySource(properties = {"confab.ice.stun-urls=stun:turn.test:3478",
		"confab.ice.turn-urls=turn:turn.test:3478?transport=udp,turns:turn.test:443?transport=tcp",
		"confab.ice.turn-secrets=" + IceServersInCallTest.SECRET + ",older-secret", "confab.ice.credential-lifetime=1h"})
class IceServersInCallTest {

	static final String SECRET = "n0t-in-any-page";

	@Autowired
	TestCalls calls;

	@Autowired
	DatabaseClient db;

	@Test
	void theConnectEventCarriesStunAndAFreshTurnCredentialForThisParticipant() throws Exception {
		String room = this.calls.room("ice-plain");
		try (StompTestClient ann = this.calls.connect("ann")) {
			ann.send("/app/room/" + room + "/join", "{}");
			html(ann.next());
			JsonNode connect = rtc(ann.next(), "connect");
			String id = connect.get("id").asString();
			assertThat(connect.get("iceTransportPolicy").asString()).isEqualTo("all");
			assertThat(connect.get("iceRefreshIn").asLong()).isEqualTo(45 * 60 * 1000L);
			JsonNode servers = connect.get("iceServers");
			assertThat(servers).hasSize(2);
			assertThat(servers.get(0).get("urls").get(0).asString()).isEqualTo("stun:turn.test:3478");
			assertThat(servers.get(0).has("credential")).isFalse();
			assertTurnCredential(servers.get(1), id);
		}
	}

	@Test
	void aRelayOnlyRoomSetsTheRelayPolicyAndAParticipantCanRefreshItsCredential() throws Exception {
		String room = this.calls.room("ice-relay");
		this.db.sql("UPDATE rooms SET relay_only = TRUE WHERE slug = :slug").bind("slug", room).then().block();
		try (StompTestClient bo = this.calls.connect("bo")) {
			bo.send("/app/room/" + room + "/join", "{}");
			html(bo.next());
			JsonNode connect = rtc(bo.next(), "connect");
			assertThat(connect.get("iceTransportPolicy").asString()).isEqualTo("relay");
			rtc(bo.next(), "others");

			bo.send("/app/ice", "{}");
			JsonNode ice = rtc(bo.next(), "ice");
			assertThat(ice.get("iceTransportPolicy").asString()).isEqualTo("relay");
			assertTurnCredential(ice.get("iceServers").get(1), connect.get("id").asString());
		}
	}

	@Test
	void onlyAParticipantGetsCredentials() throws Exception {
		try (StompTestClient cy = this.calls.connect("cy")) {
			cy.send("/app/ice", "{}");
			assertThat(cy.awaitError()).contains("Join a call before asking for ICE servers.");
		}
	}

	@Test
	void pagesNeverCarryTheSecretOrCredentialsAndRelayOnlyRoomsCanBeCreated() {
		BrowserForms dee = new BrowserForms(this.calls.port(), this.calls.cookieFor("dee"));
		String lobby = dee.get("/").getResponseBody();
		String anonymous = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.calls.port()).build()
				.get().uri("/login").exchange().expectBody(String.class).returnResult().getResponseBody();
		assertThat(lobby).contains("name=\"relayOnly\"");

		EntityExchangeResult<String> created = dee.createRoom("Private Talk", true);
		assertThat(created.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(created.getResponseHeaders().getLocation()).hasToString("/rooms/private-talk");
		EntityExchangeResult<String> room = dee.get("/rooms/private-talk");
		assertThat(room.getStatus()).isEqualTo(HttpStatus.OK);
		String roomPage = room.getResponseBody();
		assertThat(roomPage).contains("relay-only");
		String missingRoomPage = dee.get("/rooms/not-made-yet").getResponseBody();
		assertThat(missingRoomPage).as("a missing room offers relay-only when TURN is there").contains("name=\"relayOnly\"");
		for (String page : new String[] {lobby, anonymous, roomPage, missingRoomPage}) {
			assertThat(page).doesNotContain(SECRET).doesNotContain("older-secret").doesNotContain("turn:turn.test")
					.doesNotContain("credential");
		}
	}

	/** Checks the TURN REST scheme with the JDK's HMAC, independently of Confab's minting code. */
	private static void assertTurnCredential(JsonNode turn, String participantId) throws Exception {
		assertThat(turn.get("urls")).hasSize(2);
		String username = turn.get("username").asString();
		String[] parts = username.split(":");
		assertThat(parts[1]).isEqualTo(participantId);
		long expiry = Long.parseLong(parts[0]);
		long inAnHour = Instant.now().plusSeconds(3600).getEpochSecond();
		assertThat(expiry).isBetween(inAnHour - 30, inAnHour + 1);
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
		String expected = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
		assertThat(turn.get("credential").asString()).isEqualTo(expected);
	}
}
