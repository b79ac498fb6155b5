package dev.confab.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code /app/chat} body: its shape, cleaning, stripping and length, counted in code points. */
class ChatRequestTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String EMOJI = "\uD83D\uDE00";

	@Test
	void theTextIsStripped() {
		assertThat(request("  \n hello\tthere \n ").text()).isEqualTo("hello\tthere");
	}

	@Test
	void lineBreaksBecomeNewlinesAndOtherControlCharactersGo() {
		assertThat(ChatRequest.clean("a\r\nb\rc\nd\te")).isEqualTo("a\nb\nc\nd\te");
		assertThat(ChatRequest.clean("nul\u0000 esc\u001b[31m del\u007f c1\u0085\u009b bell\u0007")).isEqualTo(
				"nul esc[31m del c1 bell");
	}

	@Test
	void loneSurrogatesBecomeReplacementCharactersAndPairsStay() {
		assertThat(ChatRequest.clean("a\uD83Db\uDE00c" + EMOJI)).isEqualTo("a\uFFFDb\uFFFDc" + EMOJI);
	}

	@Test
	void theLimitCountsCodePoints() {
		assertThat(request(EMOJI.repeat(2000)).text()).hasSize(4000);
		assertThat(request(" " + "x".repeat(2000) + "\n").text()).hasSize(2000);
		assertThatThrownBy(() -> request("x".repeat(2001))).isInstanceOf(ChatRefused.class)
			.hasMessage("Chat messages are at most 2000 characters.");
		assertThatThrownBy(() -> request(EMOJI.repeat(2001))).hasMessage("Chat messages are at most 2000 characters.");
	}

	@ParameterizedTest
	@ValueSource(strings = {"", " ", "\n\t \r\n", "\u0000\u0007", "\u2003"})
	void nothingLeftIsEmpty(String text) {
		assertThatThrownBy(() -> request(text)).isInstanceOf(ChatRefused.class).hasMessage("Empty chat message.");
	}

	@ParameterizedTest
	@ValueSource(strings = {"{}", "[]", "\"hi\"", "null", "{\"text\": 5}", "{\"text\": null}", "{\"text\": [\"hi\"]}",
			"{\"text\": {\"a\": 1}}", "{\"text\": \"hi\", \"to\": \"B\"}", "{\"body\": \"hi\"}"})
	void anythingButOneTextFieldIsNotAChatMessage(String body) {
		assertThatThrownBy(() -> ChatRequest.from(JSON.readTree(body), 2000)).isInstanceOf(ChatRefused.class)
			.hasMessage("Not a chat message.");
	}

	@Test
	void aMissingBodyIsNotAChatMessage() {
		assertThatThrownBy(() -> ChatRequest.from(null, 2000)).hasMessage("Not a chat message.");
	}

	@Test
	void theConfiguredLimitIsTheOneNamed() {
		assertThatThrownBy(() -> ChatRequest.from(body("abcd"), 3)).hasMessage("Chat messages are at most 3 characters.");
	}

	private static ChatRequest request(String text) {
		return ChatRequest.from(body(text), 2000);
	}

	private static JsonNode body(String text) {
		return JsonNodeFactory.instance.objectNode().put("text", text);
	}
}
