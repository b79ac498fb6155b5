package dev.confab.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.confab.call.CallMembers;
import dev.confab.support.CallInbox;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.RosterHtml;
import dev.confab.support.StompTestClient;

import static dev.confab.support.Events.html;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In-call chat over STOMP (docs/protocol.md, "Chat"): who gets a message, the history a joining or
 * resuming page gets, the limits and refusals, the rate notice, trimming and deletion with the
 * room. A history of 3 keeps the trimming visible.
 */
@ConfabServerTest
@TestPropertySource(properties = "confab.chat.history=3")
class ChatTest extends ChatSupport {

	private static final String EMOJI = "\uD83D\uDE00";

	@Autowired
	CallMembers members;

	@Test
	void aMessageReachesEveryoneInTheCallAndNobodyElse() throws Exception {
		String room = this.calls.room("chat-here");
		String elsewhere = this.calls.room("chat-there");
		try (StompTestClient aliceClient = this.calls.connect("alice"); StompTestClient bobClient = this.calls.connect("bob");
				StompTestClient carolClient = this.calls.connect("carol");
				StompTestClient daveClient = this.calls.connect("dave")) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			CallInbox carol = new CallInbox(carolClient);
			CallInbox dave = new CallInbox(daveClient);
			// The room page follows the topic before joining: public, so chat never travels there.
			daveClient.subscribe("/topic/room." + room);
			Joined a = join(alice, room, 0);
			assertThat(chatWithin(alice, QUIET)).as("no history for a room without messages").isEmpty();
			Joined b = join(bob, room, 1);
			seesJoin(alice, b);
			join(carol, elsewhere, 0);

			Instant before = Instant.now().minusSeconds(1);
			say(aliceClient, "hello, bob");
			ChatHtml.Message own = ownMessage(alice);
			assertThat(own.from()).isEqualTo(a.id());
			assertThat(own.name()).isEqualTo("alice");
			assertThat(own.text()).isEqualTo("hello, bob");
			assertThat(own.links()).isEmpty();
			assertThat(Instant.parse(own.datetime())).isBetween(before, Instant.now().plusSeconds(1));
			assertThat(nextMessage(bob)).isEqualTo(own);
			assertThat(stored(room)).containsExactly(Map.entry(own.seq(), "hello, bob"));

			say(bobClient, "hi alice");
			ChatHtml.Message reply = nextMessage(alice);
			assertThat(reply.from()).isEqualTo(b.id());
			assertThat(reply.seq()).isGreaterThan(own.seq());
			assertThat(ownMessage(bob)).isEqualTo(reply);

			assertThat(chatWithin(alice, QUIET)).as("alice: each message once").isEmpty();
			assertThat(chatWithin(bob, Duration.ZERO)).as("bob: each message once").isEmpty();
			assertThat(chatWithin(carol, Duration.ZERO)).as("a participant of another room").isEmpty();
			assertThat(chatWithin(dave, Duration.ZERO)).as("a page following the room without joining").isEmpty();
			assertThat(dave.rosterHistory()).as("the room topic carried rosters only").isNotEmpty();
		}
	}

	@Test
	void aLateJoinerGetsTheHistoryOldestFirst() throws Exception {
		String room = this.calls.room("chat-late");
		try (StompTestClient aliceClient = this.calls.connect("alice"); StompTestClient bobClient = this.calls.connect("bob")) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			Joined a = join(alice, room, 0);
			say(aliceClient, "first");
			long first = ownMessage(alice).seq();
			say(aliceClient, "second");
			long second = ownMessage(alice).seq();

			join(bob, room, 1);
			List<ChatHtml.Message> history = nextHistory(bob);
			assertThat(texts(history)).containsExactly("first", "second");
			assertThat(history).extracting(ChatHtml.Message::seq).containsExactly(first, second);
			assertThat(history).extracting(ChatHtml.Message::from).containsOnly(a.id());
			assertThat(chatWithin(bob, QUIET)).isEmpty();
		}
	}

	@Test
	void aResumedParticipantGetsWhatWasSaidWhileItWasAway() throws Exception {
		String room = this.calls.room("chat-resume");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient aliceClient = this.calls.connect("alice");
				StompTestClient bobClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			Joined a = join(alice, room, 0);
			Joined b = join(bob, room, 1);
			seesJoin(alice, b);
			say(bobClient, "brb");
			ownMessage(bob);
			nextMessage(alice);

			bobClient.drop();
			alice.awaitRoster(r -> r.isAway(b.id()), "bob away");
			say(aliceClient, "said while bob was away");
			ownMessage(alice);

			try (StompTestClient bobAgainClient = StompTestClient.connect(this.calls.port(), bobCookie)) {
				CallInbox bobAgain = new CallInbox(bobAgainClient);
				bobAgainClient.send("/app/resume", resume(b, Map.of(a.id(), 0)));
				assertThat(RosterHtml.of(html(bobAgain.nextEvent())).isPresent(b.id())).isTrue();
				bobAgain.nextRtc("resumed");
				assertThat(texts(nextHistory(bobAgain))).containsExactly("brb", "said while bob was away");
				alice.nextRtc("back");

				say(bobAgainClient, "back");
				assertThat(ownMessage(bobAgain).from()).as("the same participant").isEqualTo(b.id());
				assertThat(nextMessage(alice).text()).isEqualTo("back");
				assertThat(chatWithin(bobAgain, QUIET)).isEmpty();
			}
		}
	}

	@Test
	void theHistoryKeepsTheConfiguredNumberOfNewestMessages() throws Exception {
		String room = this.calls.room("chat-trim");
		try (StompTestClient aliceClient = this.calls.connect("alice"); StompTestClient bobClient = this.calls.connect("bob")) {
			CallInbox alice = new CallInbox(aliceClient);
			join(alice, room, 0);
			for (int i = 1; i <= 5; i++) {
				say(aliceClient, "m" + i);
				ownMessage(alice);
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stored(room).values())
				.containsExactly("m3", "m4", "m5"));
			CallInbox bob = new CallInbox(bobClient);
			join(bob, room, 1);
			assertThat(texts(nextHistory(bob))).containsExactly("m3", "m4", "m5");
		}
	}

	@Test
	void messagesOfUpTo2000CharactersPassAndLongerOnesAreRefused() throws Exception {
		String room = this.calls.room("chat-limit");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			join(alice, room, 0);
			say(aliceClient, "x".repeat(2000));
			assertThat(ownMessage(alice).text()).hasSize(2000);
			// Code points, not UTF-16 units or bytes: 2000 of these are 4000 units and 8000 bytes.
			say(aliceClient, "  " + EMOJI.repeat(2000) + "\n");
			assertThat(ownMessage(alice).text()).isEqualTo(EMOJI.repeat(2000));
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stored(room).values())
				.containsExactly("x".repeat(2000), EMOJI.repeat(2000)));

			say(aliceClient, "x".repeat(2001));
			assertThat(aliceClient.awaitError()).isEqualTo("Chat messages are at most 2000 characters.");
			aliceClient.awaitClosed();
			assertThat(stored(room)).hasSize(2);
		}
	}

	@Test
	void anEmptyMessageIsRefused() throws Exception {
		String room = this.calls.room("chat-empty");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			join(new CallInbox(aliceClient), room, 0);
			say(aliceClient, " \n\t\r\n ");
			assertThat(aliceClient.awaitError()).isEqualTo("Empty chat message.");
			assertThat(stored(room)).isEmpty();
		}
	}

	@Test
	void malformedBodiesAreRefused() throws Exception {
		String[] bodies = {"{\"text\": 5}", "{\"text\": \"hi\", \"from\": \"B\"}", "{}", "not json"};
		for (int i = 0; i < bodies.length; i++) {
			String room = this.calls.room("chat-malformed-" + i);
			try (StompTestClient aliceClient = this.calls.connect("alice")) {
				join(new CallInbox(aliceClient), room, 0);
				aliceClient.send("/app/chat", bodies[i]);
				assertThat(aliceClient.awaitError()).as(bodies[i]).isEqualTo("Not a chat message.");
				assertThat(stored(room)).isEmpty();
			}
		}
	}

	@Test
	void lineBreaksAreKeptAndOtherControlCharactersRemoved() throws Exception {
		String room = this.calls.room("chat-controls");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			join(alice, room, 0);
			say(aliceClient, "tab\there\r\nnext\u0000line\u001b[0m\u0007");
			assertThat(ownMessage(alice).text()).isEqualTo("tab\there\nnextline[0m");
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stored(room).values())
				.containsExactly("tab\there\nnextline[0m"));
		}
	}

	@Test
	void aSessionInNoCallIsRefused() throws Exception {
		String room = this.calls.room("chat-no-call");
		try (StompTestClient outsiderClient = this.calls.connect("oz"); StompTestClient leaverClient = this.calls.connect("lev")) {
			// Following the room's topic is not being in its call.
			outsiderClient.subscribe("/topic/room." + room);
			say(outsiderClient, "hello?");
			assertThat(outsiderClient.awaitError()).isEqualTo("Join a call before sending chat messages.");

			Joined leaver = join(new CallInbox(leaverClient), room, 0);
			String session = sessionOf(leaver.id());
			leaverClient.send("/app/room/" + room + "/leave", "{}");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.members.participantOf(session).isEmpty());
			say(leaverClient, "still here?");
			assertThat(leaverClient.awaitError()).isEqualTo("Join a call before sending chat messages.");
			assertThat(stored(room)).isEmpty();
		}
	}

	@Test
	void overTheRateOnlyTheSenderHearsAndNothingIsStored() throws Exception {
		String room = this.calls.room("chat-rate");
		try (StompTestClient aliceClient = this.calls.connect("alice"); StompTestClient bobClient = this.calls.connect("bob")) {
			CallInbox alice = new CallInbox(aliceClient);
			CallInbox bob = new CallInbox(bobClient);
			join(alice, room, 0);
			seesJoin(alice, join(bob, room, 1));
			List<String> sent = IntStream.rangeClosed(1, 20).mapToObj(i -> "message " + i).toList();
			sent.forEach(text -> say(aliceClient, text));
			for (String text : sent) {
				assertThat(ownMessage(alice).text()).isEqualTo(text);
				assertThat(nextMessage(bob).text()).isEqualTo(text);
			}

			say(aliceClient, "message 21");
			ChatHtml notice = nextChat(alice);
			assertThat(notice.swap()).as("no log swap").isNull();
			assertThat(notice.notice()).isEqualTo("You are sending messages too fast; wait a few seconds.");
			assertThat(chatWithin(bob, QUIET)).as("the others get nothing").isEmpty();
			assertThat(chatWithin(alice, Duration.ZERO)).isEmpty();
			assertThat(aliceClient.isConnected()).as("not an error: %s", aliceClient.describeState()).isTrue();
			assertThat(stored(room).values()).containsExactly("message 18", "message 19", "message 20");
		}
	}

	@Test
	void messagesAreDeletedWithTheirRoom() throws Exception {
		String room = this.calls.room("chat-deleted");
		try (StompTestClient aliceClient = this.calls.connect("alice")) {
			CallInbox alice = new CallInbox(aliceClient);
			join(alice, room, 0);
			say(aliceClient, "soon gone");
			ownMessage(alice);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stored(room)).hasSize(1));

			this.db.sql("DELETE FROM rooms WHERE slug = :room").bind("room", room).then().block(Duration.ofSeconds(5));
			assertThat(stored(room)).isEmpty();
		}
	}

	/** The session the participant's row names; the row may lag the join's events a moment. */
	private String sessionOf(String participantId) {
		return await().atMost(Duration.ofSeconds(5)).until(() -> this.db.sql("SELECT session_id FROM participants WHERE id = :id")
				.bind("id", participantId).map(row -> row.get("session_id", String.class)).one()
				.block(Duration.ofSeconds(5)), java.util.Objects::nonNull);
	}
}
