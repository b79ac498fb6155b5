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

import static dev.confab.call.CallSignalingTest.joinAfterOthers;
import static dev.confab.call.CallSignalingTest.joinAlone;
import static dev.confab.support.Events.html;
import static dev.confab.support.Events.rtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who may do what in a call: refusals end the session with an ERROR, and room topics follow membership. */
@ConfabServerTest
class CallAccessTest {

	@Autowired
	TestCalls calls;

	@Autowired
	UserConnections userConnections;

	@Autowired
	PresenceRepository presence;

	@Autowired
	LocalMembership membership;

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

	/** The client closes its peers before it sends a leave: a signal from a session in no call is a bug or worse. */
	@Test
	void signalFromASessionInNoCallIsRefused() throws Exception {
		String room = this.calls.room("no-call-signal");
		try (StompTestClient a = this.calls.connect("ana"); StompTestClient outsider = this.calls.connect("oz");
				StompTestClient leaver = this.calls.connect("lev")) {
			String aId = joinAlone(a, room);
			outsider.send("/app/signal", "{\"to\":\"" + aId + "\",\"candidate\":null}");
			assertThat(outsider.awaitError()).isEqualTo("Join a call before sending signals.");

			String leaverSession = this.presence.byId(joinAfterOthers(leaver, room)).block().sessionId();
			leaver.send("/app/room/" + room + "/leave", "{}");
			a.nextMatching(m -> m.body().has("remove"), "the leave");
			// The others hear of a leave under the room's lock, a moment before the session is out of the call.
			await().atMost(Duration.ofSeconds(5)).until(() -> this.membership.participant(leaverSession).isEmpty());
			leaver.send("/app/signal", "{\"to\":\"" + aId + "\",\"candidate\":null}");
			assertThat(leaver.awaitError()).isEqualTo("Join a call before sending signals.");
			assertThat(a.drain(Duration.ofMillis(500))).noneMatch(m -> m.body().has("rtc")
					&& "signal".equals(m.body().get("rtc").get("type").asString()));
		}
	}

	/** A signal can cross its recipient's leave; the sender must not lose its session for that. */
	@Test
	void signalToAParticipantWhoLeftIsDroppedAndTheSenderCarriesOn() throws Exception {
		String room = this.calls.room("left-signal");
		try (StompTestClient a = this.calls.connect("ali"); StompTestClient b = this.calls.connect("bix")) {
			joinAlone(a, room);
			String bId = joinAfterOthers(b, room);
			String bSession = this.presence.byId(bId).block().sessionId();
			b.send("/app/room/" + room + "/leave", "{}");
			a.nextMatching(m -> m.body().has("remove"), "bix's leave");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.membership.participant(bSession).isEmpty());
			a.sendAndAwaitReceipt("/app/signal", "{\"to\":\"" + bId + "\",\"candidate\":null}");
			a.send("/app/room/" + room + "/roster", "{}");
			assertThat(html(a.nextMatching(m -> m.body().has("html"), "the roster"))).contains("1 person in the call");
			assertThat(a.isConnected()).as(a.describeState()).isTrue();
			assertThat(b.drain(Duration.ofMillis(300))).noneMatch(m -> m.body().has("rtc"));
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
