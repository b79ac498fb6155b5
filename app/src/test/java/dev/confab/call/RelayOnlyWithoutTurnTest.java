package dev.confab.call;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

import dev.confab.support.BrowserForms;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;

/** Without TURN configured: no TURN entry, no refresh, and no relay-only rooms (they could never connect). */
@ConfabServerTest
class RelayOnlyWithoutTurnTest {

	@Autowired
	TestCalls calls;

	@Test
	void relayOnlyRoomsAreRefusedAndConnectCarriesNoCredential() throws Exception {
		BrowserForms browser = new BrowserForms(this.calls.port(), this.calls.cookieFor("eli"));
		var refused = browser.createRoom("Hidden", true);
		assertThat(refused.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(refused.getResponseBody()).contains("Relay-only rooms need a TURN server");
		assertThat(browser.get("/").getResponseBody()).doesNotContain("name=\"relayOnly\"");
		assertThat(browser.get("/rooms/hidden").getResponseBody()).as("a missing room offers no relay-only either")
				.doesNotContain("name=\"relayOnly\"");

		String room = this.calls.room("no-turn");
		try (StompTestClient eli = this.calls.connect("eli")) {
			eli.send("/app/room/" + room + "/join", "{}");
			html(eli.next());
			var connect = rtc(eli.next(), "connect");
			assertThat(connect.get("iceServers")).isEmpty();
			assertThat(connect.get("iceTransportPolicy").asString()).isEqualTo("all");
			assertThat(connect.has("iceRefreshIn")).isFalse();
		}
	}
}
