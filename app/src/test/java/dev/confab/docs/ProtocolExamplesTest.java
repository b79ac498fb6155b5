package dev.confab.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import tools.jackson.databind.json.JsonMapper;

import dev.confab.call.CallExamples;
import dev.confab.chat.ChatExamples;
import dev.confab.room.LobbyExamples;
import dev.confab.room.RoomSummary;
import dev.confab.support.RepositoryFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JSON and HTML example of docs/protocol.md is what the code sends: each block is compared
 * with the message or fragment the production classes build from the inputs the example names
 * (templates through Boot's own Thymeleaf setup, JSON through spring-messaging's converter).
 * <p>
 * Layout does not count: in JSON, white space outside strings; in HTML, line breaks between tags
 * and runs of white space. {@code ...} in an example stands for any text (an elided part); the
 * rest must match exactly. A new example block needs a line here, so none goes unchecked.
 */
class ProtocolExamplesTest {

	private static final Path DOCUMENT = Path.of("docs", "protocol.md");

	private static final String ELISION = "...";

	// What clients send; the examples show these bodies, and the server's handling of them is checked.
	private static final String OFFER = """
			{"to": "B", "description": {"type": "offer", "sdp": "v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n"}}""";

	private static final String CANDIDATE = """
			{"to": "B", "candidate": {"candidate": "candidate:842163049 1 udp 1677729535 198.51.100.7 46154 typ srflx raddr 0.0.0.0 rport 0", \
			"sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "Fq4u", "foundation": "842163049"}}""";

	private static final String END_OF_CANDIDATES = """
			{"to": "B", "candidate": null}""";

	private static final String RESUME = """
			{"id": "B", "secret": "%s", "fresh": false, "peers": {"A": 0, "C": 1}}""".formatted(CallExamples.SECRET);

	/**
	 * What a page sends its peers on the features data channel. The server never sees it:
	 * frontend/test/features-protocol.test.js checks the same block against the browser module.
	 */
	private static final String FEATURES = """
			{"mic": true, "cam": false, "screen": "5e1c0b9a-0d7c-4b1e-9f0a-2a6c1d3e4f5a"}""";

	private static final JacksonJsonMessageConverter CONVERTER = new JacksonJsonMessageConverter();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Section heading to its example blocks, in document order. */
	private static Map<String, List<Example>> expected;

	private static List<Block> blocks;

	@BeforeAll
	static void renderEveryExample() throws IOException {
		blocks = Block.parse(Files.readString(locate(), StandardCharsets.UTF_8));
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ThymeleafAutoConfiguration.class))
			.run(context -> expected = render(context.getBean(ISpringWebFluxTemplateEngine.class)));
	}

	private static Map<String, List<Example>> render(ISpringWebFluxTemplateEngine templates) {
		CallExamples call = new CallExamples(templates);
		Map<String, List<Example>> examples = new LinkedHashMap<>();
		examples.put("Join sequence", List.of(json(call.joinToNewcomer()), json(call.joinToOthers()), html(call.bobsTile())));
		examples.put("ICE servers", List.of(json(List.of(call.relayOnlyConnect()))));
		examples.put("Signal", List.of(sent(OFFER), json(List.of(call.signalFromAlice(OFFER))),
				sent(CANDIDATE, END_OF_CANDIDATES),
				json(List.of(call.signalFromAlice(CANDIDATE), call.signalFromAlice(END_OF_CANDIDATES)))));
		examples.put("The features data channel (peer to peer)", List.of(sent(FEATURES)));
		examples.put("Leave", List.of(json(List.of(call.bobLeft()))));
		examples.put("Resume", List.of(sent(RESUME), json(call.resumeToResumer(Map.of("A", 0, "C", 1))),
				json(List.of(call.renewBob())), json(List.of(call.bobIsBack()))));
		examples.put("Room roster, `/topic/room.<slug>`", List.of(json(List.of(call.rosterMessage())), html(call.roster())));
		examples.put("Joining a room its owner controls", List.of(json(call.joinOutcomes())));
		examples.put("The owner's controls", List.of(html(call.knocks()), json(call.toTheTarget())));
		examples.put("Hands and reactions", List.of(html(call.rosterWithHands()), json(List.of(call.bobsReaction()))));
		ChatExamples chat = new ChatExamples(templates);
		examples.put("Chat", List.of(json(List.of(ChatExamples.message(chat.appended()))), html(chat.appended()),
				json(List.of(ChatExamples.message(chat.appendedToSender()))), html(chat.history()), html(chat.tooFast()),
				html(chat.cleared())));
		String lobby = new String((byte[]) LobbyExamples.lobbyMessage(templates, CONVERTER,
				List.of(new RoomSummary("standup", "Standup", 2, true, false), new RoomSummary("retro", "Retro", 0, false, true))),
				StandardCharsets.UTF_8);
		examples.put("Lobby, `/topic/lobby`", List.of(new Example(Kind.JSON, List.of(lobby)),
				html(JSON.readTree(lobby).get("html").asString())));
		return examples;
	}

	@Test
	void everyExampleBlockHasACheck() {
		Map<String, Long> inDocument = blocks.stream()
			.collect(Collectors.groupingBy(Block::heading, LinkedHashMap::new, Collectors.counting()));
		Map<String, Long> checked = new LinkedHashMap<>();
		expected.forEach((heading, examples) -> checked.put(heading, (long) examples.size()));
		assertThat(inDocument).as("JSON and HTML example blocks of %s per section", DOCUMENT).isEqualTo(checked);
	}

	@TestFactory
	Stream<DynamicTest> everyExampleIsWhatTheCodeSends() {
		List<DynamicTest> tests = new ArrayList<>();
		expected.forEach((heading, examples) -> {
			List<Block> inSection = blocks.stream().filter(block -> block.heading().equals(heading)).toList();
			for (int i = 0; i < examples.size(); i++) {
				Example example = examples.get(i);
				Block block = i < inSection.size() ? inSection.get(i) : null;
				tests.add(DynamicTest.dynamicTest(heading + ", example " + (i + 1), () -> check(heading, example, block)));
			}
		});
		return tests.stream();
	}

	private static void check(String heading, Example example, Block block) {
		assertThat(block).as("example %s block in \"%s\"", example.kind().language, heading).isNotNull();
		assertThat(block.language()).as("language of the block at line %d", block.line()).isEqualTo(example.kind().language);
		List<String> documented = example.kind() == Kind.JSON ? Json.values(block.text()) : List.of(Html.normalise(block.text()));
		List<String> actual = example.kind() == Kind.JSON
				? example.texts().stream().map(Json::normalise).toList()
				: example.texts().stream().map(Html::normalise).toList();
		assertThat(documented).as("messages in the block at line %d", block.line()).hasSameSizeAs(actual);
		for (int i = 0; i < actual.size(); i++) {
			assertThat(matches(documented.get(i), actual.get(i)))
				.as("%s, line %d, message %d%n  documented: %s%n  code sends: %s", DOCUMENT, block.line(), i + 1,
						documented.get(i), actual.get(i))
				.isTrue();
		}
	}

	/** Whether the documented text, with {@code ...} standing for any text, is the actual one. */
	static boolean matches(String documented, String actual) {
		String regex = Stream.of(documented.split(Pattern.quote(ELISION), -1)).map(Pattern::quote)
			.collect(Collectors.joining(".*?"));
		return Pattern.compile(regex, Pattern.DOTALL).matcher(actual).matches();
	}

	private static Example json(List<Object> payloads) {
		return new Example(Kind.JSON, payloads.stream()
			.map(payload -> new String((byte[]) CONVERTER.toMessage(payload, null).getPayload(), StandardCharsets.UTF_8))
			.toList());
	}

	/** Bodies a client sends: the document shows them as they are. */
	private static Example sent(String... bodies) {
		return new Example(Kind.JSON, List.of(bodies));
	}

	private static Example html(String fragment) {
		return new Example(Kind.HTML, List.of(fragment));
	}

	/** The document above the working directory; {@code -Dconfab.docs.protocol=<file>} checks another copy. */
	private static Path locate() {
		String other = System.getProperty("confab.docs.protocol");
		if (other != null && !other.isBlank()) {
			return Path.of(other);
		}
		return RepositoryFiles.find(DOCUMENT.toString());
	}

	enum Kind {

		JSON("json"), HTML("html");

		final String language;

		Kind(String language) {
			this.language = language;
		}
	}

	record Example(Kind kind, List<String> texts) {
	}

	/** A fenced {@code json} or {@code html} block, under the nearest heading above it. */
	record Block(String heading, String language, String text, int line) {

		static List<Block> parse(String markdown) {
			List<Block> found = new ArrayList<>();
			String heading = "";
			String language = null;
			StringBuilder text = new StringBuilder();
			int start = 0;
			String[] lines = markdown.split("\n", -1);
			for (int i = 0; i < lines.length; i++) {
				String line = lines[i];
				if (language == null && line.startsWith("```")) {
					language = line.substring(3).strip();
					text.setLength(0);
					start = i + 1;
				}
				else if (language != null && line.strip().equals("```")) {
					if (language.equals("json") || language.equals("html")) {
						found.add(new Block(heading, language, text.toString(), start));
					}
					language = null;
				}
				else if (language != null) {
					text.append(line).append('\n');
				}
				else if (line.startsWith("#")) {
					heading = line.replaceFirst("^#+", "").strip();
				}
			}
			return found;
		}
	}

	/** JSON without layout: white space outside strings removed; a block split into its top-level values. */
	static final class Json {

		static String normalise(String json) {
			List<String> values = values(json);
			if (values.size() != 1) {
				throw new AssertionError("Not one JSON value: " + json);
			}
			return values.get(0);
		}

		static List<String> values(String text) {
			List<String> values = new ArrayList<>();
			StringBuilder value = new StringBuilder();
			boolean inString = false;
			int depth = 0;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (inString) {
					value.append(c);
					if (c == '\\' && i + 1 < text.length()) {
						value.append(text.charAt(++i));
					}
					else if (c == '"') {
						inString = false;
					}
					continue;
				}
				if (Character.isWhitespace(c)) {
					continue;
				}
				value.append(c);
				if (c == '"') {
					inString = true;
				}
				else if (c == '{' || c == '[') {
					depth++;
				}
				else if ((c == '}' || c == ']') && --depth == 0) {
					values.add(value.toString());
					value.setLength(0);
				}
			}
			if (!value.isEmpty()) {
				values.add(value.toString());
			}
			return values;
		}
	}

	/** HTML without layout: line breaks between tags dropped, other runs of white space made one space. */
	static final class Html {

		static String normalise(String html) {
			return html.strip().replaceAll(">[ \\t]*\\R\\s*<", "><").replaceAll("\\s+", " ");
		}
	}
}
