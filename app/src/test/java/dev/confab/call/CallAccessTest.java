package dev.confab.call;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.confab.identity.ConfabUser;
import dev.confab.identity.UserConnections;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.RawStompSocket;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static dev.confab.call.CallSignalingTest.joinAlone;
import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what in a call: refusals end the session with an ERROR, and room topics follow membership. */
@ConfabServerTest
class CallAccessTest {

	@Autowired
	TestCalls calls;

	@Autowired
	UserConnections userConnections;

	@Test
	void signalToAParticipantOfAnotherRoomIsRefused() throws Exception {
		String here = this.calls.room("here");
		String there = this.calls.room("there");
		try (StompTestClient a = this.calls.connect("ada"); StompTestClient b = this.calls.connect("bel")) {
			joinAlone(a, here);
			String bId = joinAlone(b, there);
			a.send("/app/signal", "{\"to\":\"" + bId + "\",\"candidate\":null}");
			assertThat(a.awaitError()).contains("only signal participants of your own call");
			assertThat(b.drain(Duration.ofMillis(500))).isEmpty();
		}
	}

	@Test
	void malformedSignalsAreRefused() throws Exception {
		String[] bodies = {"{\"to\":\"short\",\"candidate\":null}", "not json",
				"{\"to\":\"AAAAAAAAAAAAAAAAAAAAAA\"}",
				"{\"to\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"description\":{\"type\":\"evil\",\"sdp\":\"x\"}}"};
		for (int i = 0; i < bodies.length; i++) {
			String body = bodies[i];
			// A room each: the previous client's leave runs after its socket closed, in its own time.
			String room = this.calls.room("bad-signals-" + i);
			try (StompTestClient a = this.calls.connect("eve")) {
				joinAlone(a, room);
				a.send("/app/signal", body);
				assertThat(a.awaitError()).as(body).isNotBlank();
			}
		}
	}

	@Test
	void joiningARoomThatDoesNotExistIsRefused() throws Exception {
		try (StompTestClient a = this.calls.connect("nobody")) {
			a.send("/app/room/no-such-room/join", "{}");
			assertThat(a.awaitError()).contains("There is no room no-such-room");
		}
	}

	@Test
	void roomTopicOpensOnJoinAndCarriesTheRoster() throws Exception {
		String room = this.calls.room("roster");
		try (StompTestClient a = this.calls.connect("ari"); StompTestClient b = this.calls.connect("bram")) {
			joinAlone(a, room);
			a.subscribe("/topic/room." + room);
			b.send("/app/room/" + room + "/join", "{}");
			StompTestClient.Received roster = a.nextMatching(m -> "/topic/room.roster".equals(m.destination())
					&& m.body().path("html").asString("").contains("bram"), "a roster naming bram");
			assertThat(html(roster)).contains("id=\"roster\"").contains("2 people in the call").contains(">bram<");
		}
	}

	@Test
	void lobbyTopicShowsLiveCounts() throws Exception {
		String room = this.calls.room("counted");
		try (StompTestClient watcher = this.calls.connect("wat"); StompTestClient a = this.calls.connect("abi")) {
			watcher.subscribe("/topic/lobby");
			joinAlone(a, room);
			StompTestClient.Received update = watcher.nextMatching(m -> m.body().path("html").asString("")
					.contains("1 in call"), "a lobby counting one in the call");
			assertThat(update.destination()).isEqualTo("/topic/lobby");
			assertThat(html(update)).contains("id=\"room-counted\"").contains("1 in call");
		}
	}

	@Test
	void screenNamesAreEscapedInFragments() throws Exception {
		String room = this.calls.room("escaping");
		try (StompTestClient a = this.calls.connect("<img src=x hx-get=/evil>");
				StompTestClient b = this.calls.connect("bob")) {
			joinAlone(a, room);
			b.send("/app/room/" + room + "/join", "{}");
			String tiles = html(b.next());
			assertThat(tiles).contains("&lt;img src=x hx-get=/evil&gt;").doesNotContain("<img");
		}
	}

	@Test
	void logoutClosesEveryOpenSocketOfThatUser() throws Exception {
		String room = this.calls.room("logout");
		ConfabUser leo = new ConfabUser(UUID.randomUUID(), "leo");
		String cookie = this.calls.cookieFor(leo);
		try (StompTestClient tab1 = StompTestClient.connect(this.calls.port(), cookie);
				StompTestClient tab2 = StompTestClient.connect(this.calls.port(), cookie);
				StompTestClient other = this.calls.connect("olga")) {
			joinAlone(other, room);
			tab1.send("/app/room/" + room + "/join", "{}");
			html(tab1.next());
			String leoId = rtc(tab1.next(), "connect").get("id").asString();
			other.drain(Duration.ofMillis(300));
			this.userConnections.closeAll(leo.getName());
			assertThat(tab1.awaitError()).contains("Logged out");
			assertThat(tab2.awaitError()).contains("Logged out");
			StompTestClient.Received left = other.nextMatching(m -> m.body().has("remove"), "a leave");
			assertThat(rtc(left, "disconnected").get("id").asString()).isEqualTo(leoId);
		}
	}

	@Test
	void aUserMayHoldOnlyALimitedNumberOfSockets() throws Exception {
		String cookie = this.calls.cookieFor("many");
		StompTestClient[] tabs = new StompTestClient[8];
		try {
			for (int i = 0; i < tabs.length; i++) {
				tabs[i] = StompTestClient.connect(this.calls.port(), cookie);
			}
			try (RawStompSocket ninth = RawStompSocket.open(this.calls.port(), cookie)) {
				ninth.send("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
				assertThat(ninth.next()).startsWith("ERROR").contains("Too many open connections");
				ninth.awaitClose();
			}
		}
		finally {
			for (StompTestClient tab : tabs) {
				if (tab != null) {
					tab.close();
				}
			}
		}
	}

}
