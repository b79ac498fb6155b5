package dev.confab.chat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.support.CallInbox;
import dev.confab.support.RosterHtml;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.TestCalls;

import static dev.confab.support.Events.html;
import static org.assertj.core.api.Assertions.assertThat;

/** What the chat tests share: joining as the browser does, saying something, reading chat fragments and rows. */
abstract class ChatSupport {

	/** Long enough for a message that should not come to have come. */
	static final Duration QUIET = Duration.ofMillis(700);

	/** {@link CallInbox#events} takes off the client only what comes within its window. */
	private static final Duration AT_LEAST = Duration.ofMillis(50);

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	TestCalls calls;

	@Autowired
	DatabaseClient db;

	/** A participant as its own {@code connect} described it. */
	record Joined(String id, String secret) {
	}

	/** Joins with {@code others} already in the call, reads the join sequence, then follows the room topic. */
	static Joined join(CallInbox inbox, String room, int others) throws InterruptedException {
		inbox.client().send("/app/room/" + room + "/join", "{}");
		assertThat(RosterHtml.of(html(inbox.nextEvent())).participants()).hasSize(others + 1);
		JsonNode connect = inbox.nextRtc("connect");
		assertThat(inbox.nextRtc("others").get("others")).hasSize(others);
		inbox.client().subscribe("/topic/room." + room);
		return new Joined(connect.get("id").asString(), connect.get("secret").asString());
	}

	/** Someone already in the call sees a join: the newcomer's tile, then {@code other}. */
	static void seesJoin(CallInbox inbox, Joined joiner) throws InterruptedException {
		assertThat(html(inbox.nextEvent())).contains("id=\"tile-" + joiner.id() + "\"");
		assertThat(inbox.nextRtc("other").get("id").asString()).isEqualTo(joiner.id());
	}

	static void say(StompTestClient client, String text) {
		client.send("/app/chat", JSON.writeValueAsString(Map.of("text", text)));
	}

	/** The next personal message, which must be a chat fragment. */
	static ChatHtml nextChat(CallInbox inbox) throws InterruptedException {
		Received received = inbox.nextEvent();
		String html = html(received);
		assertThat(ChatHtml.isChat(html)).as("a chat fragment, got %s", html).isTrue();
		return ChatHtml.of(html);
	}

	/** The next personal message, which must be one new message (to a participant other than its sender). */
	static ChatHtml.Message nextMessage(CallInbox inbox) throws InterruptedException {
		ChatHtml chat = nextChat(inbox);
		assertThat(chat.swap()).isEqualTo("beforeend");
		assertThat(chat.notice()).as("only the sender's copy clears its notice").isNull();
		assertThat(chat.messages()).hasSize(1);
		return chat.messages().get(0);
	}

	/** The sender's copy of its own message: the message, then the cleared notice. */
	static ChatHtml.Message ownMessage(CallInbox inbox) throws InterruptedException {
		ChatHtml chat = nextChat(inbox);
		assertThat(chat.swap()).isEqualTo("beforeend");
		assertThat(chat.notice()).as("the sender's notice is cleared").isEmpty();
		assertThat(chat.messages()).hasSize(1);
		return chat.messages().get(0);
	}

	/** The next personal message, which must be the room's history. */
	static List<ChatHtml.Message> nextHistory(CallInbox inbox) throws InterruptedException {
		ChatHtml chat = nextChat(inbox);
		assertThat(chat.swap()).isEqualTo("innerHTML");
		assertThat(chat.notice()).isNull();
		return chat.messages();
	}

	/**
	 * Chat fragments among what came already or arrives within the window (nothing else is taken to
	 * mean anything); a short window checks what came meanwhile.
	 */
	static List<String> chatWithin(CallInbox inbox, Duration window) throws InterruptedException {
		return inbox.events(window.compareTo(AT_LEAST) < 0 ? AT_LEAST : window).stream()
			.map(r -> r.body().path("html").asString(""))
			.filter(ChatHtml::isChat).toList();
	}

	static List<String> texts(List<ChatHtml.Message> messages) {
		return messages.stream().map(ChatHtml.Message::text).toList();
	}

	/** The room's stored messages, oldest first: id to body. */
	Map<Long, String> stored(String room) {
		Map<Long, String> rows = new LinkedHashMap<>();
		this.db.sql("SELECT id, body FROM chat_messages WHERE room_slug = :room ORDER BY id")
				.bind("room", room)
				.map(row -> Map.entry(row.get("id", Long.class), row.get("body", String.class)))
				.all()
				.doOnNext(entry -> rows.put(entry.getKey(), entry.getValue()))
				.blockLast(Duration.ofSeconds(5));
		return rows;
	}

	static String resume(Joined who, Map<String, Integer> peers) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", who.id());
		body.put("secret", who.secret());
		body.put("fresh", false);
		body.put("peers", peers);
		return JSON.writeValueAsString(body);
	}
}
