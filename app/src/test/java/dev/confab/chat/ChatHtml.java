package dev.confab.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.attoparser.ParseException;
import org.attoparser.config.ParseConfiguration;
import org.attoparser.simple.AbstractSimpleMarkupHandler;
import org.attoparser.simple.SimpleMarkupParser;
import org.jspecify.annotations.Nullable;
import org.unbescape.html.HtmlEscape;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat {@code html} message (docs/protocol.md, "Chat") parsed as HTML by an independent parser
 * (attoparser, below Thymeleaf), entities decoded, and checked to have exactly the documented
 * shape: the log swap with its articles, and/or the notice. Any other element or attribute, such
 * as one a message smuggled in, fails the parse.
 *
 * @param swap     {@code beforeend} (a new message) or {@code innerHTML} (the history); null without a log
 * @param messages the articles, in order
 * @param notice   the notice's text ("" when cleared); null without a notice
 */
record ChatHtml(@Nullable String swap, List<Message> messages, @Nullable String notice) {

	/**
	 * One article.
	 *
	 * @param text  the text as the page shows it, links included
	 * @param links the hrefs of its links, in order
	 */
	record Message(long seq, String from, String name, String datetime, String time, String text, List<Link> links) {
	}

	/** One link of a message: its target and what it shows. */
	record Link(String href, String text) {
	}

	private static final Set<String> ARTICLE_ATTRIBUTES = Set.of("class", "id", "data-seq", "data-from", "hx-disable");

	static boolean isChat(String html) {
		return html.contains("id=\"chat-log\"") || html.contains("id=\"chat-notice\"");
	}

	static ChatHtml of(String html) {
		List<Node> top = Node.parse(html);
		String swap = null;
		List<Message> messages = new ArrayList<>();
		String notice = null;
		for (Node node : top) {
			Element element = asElement(node, "a top-level element of " + html);
			if (element.name().equals("div") && swap == null && notice == null) {
				assertThat(element.attributes()).containsOnlyKeys("id", "hx-swap-oob").containsEntry("id", "chat-log");
				swap = element.attributes().get("hx-swap-oob");
				assertThat(swap).isIn("beforeend", "innerHTML");
				for (Node child : element.children()) {
					messages.add(message(asElement(child, "an article of " + html)));
				}
			}
			else if (element.name().equals("p") && notice == null) {
				assertThat(element.attributes()).isEqualTo(Map.of("id", "chat-notice", "class", "chat-notice", "role", "status",
						"hx-swap-oob", "outerHTML"));
				assertThat(element.children()).allMatch(Text.class::isInstance);
				notice = element.text();
			}
			else {
				throw new AssertionError("Unexpected <" + element.name() + "> in " + html);
			}
		}
		return new ChatHtml(swap, List.copyOf(messages), notice);
	}

	private static Message message(Element article) {
		assertThat(article.name()).isEqualTo("article");
		assertThat(article.attributes()).containsOnlyKeys(ARTICLE_ATTRIBUTES).containsEntry("class", "chat-message")
			.containsEntry("hx-disable", "");
		String seq = article.attributes().get("data-seq");
		assertThat(article.attributes().get("id")).isEqualTo("chat-" + seq);
		assertThat(article.children()).hasSize(2);
		Element header = asElement(article.children().get(0), "the header");
		assertThat(header.name()).isEqualTo("header");
		assertThat(header.attributes()).isEmpty();
		assertThat(header.children()).hasSize(3);
		Element name = asElement(header.children().get(0), "the name");
		assertThat(name.name()).isEqualTo("span");
		assertThat(name.attributes()).isEqualTo(Map.of("class", "name"));
		assertThat(name.children()).allMatch(Text.class::isInstance);
		assertThat(header.children().get(1)).isEqualTo(new Text(" "));
		Element time = asElement(header.children().get(2), "the time");
		assertThat(time.name()).isEqualTo("time");
		assertThat(time.attributes()).containsOnlyKeys("datetime");
		assertThat(time.attributes().get("datetime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		assertThat(time.text()).matches("\\d\\d:\\d\\d UTC").isEqualTo(time.attributes().get("datetime").substring(11, 16) + " UTC");
		Element paragraph = asElement(article.children().get(1), "the text");
		assertThat(paragraph.name()).isEqualTo("p");
		assertThat(paragraph.attributes()).isEqualTo(Map.of("class", "text"));
		List<Link> links = new ArrayList<>();
		for (Node part : paragraph.children()) {
			if (part instanceof Element link) {
				assertThat(link.name()).as("the only element inside a message's text").isEqualTo("a");
				assertThat(link.attributes()).containsOnlyKeys("href", "rel", "target").containsEntry("rel", "noopener noreferrer")
					.containsEntry("target", "_blank");
				assertThat(link.children()).allMatch(Text.class::isInstance);
				assertThat(link.attributes().get("href")).matches("(?i)https?://.+");
				links.add(new Link(link.attributes().get("href"), link.text()));
			}
		}
		return new Message(Long.parseLong(seq), article.attributes().get("data-from"), name.text(),
				time.attributes().get("datetime"), time.text(), paragraph.text(), List.copyOf(links));
	}

	private static Element asElement(Node node, String what) {
		if (!(node instanceof Element element)) {
			throw new AssertionError("Expected " + what + " to be an element, got text " + node);
		}
		return element;
	}

	/** A parsed node: an element or a run of text. */
	sealed interface Node permits Element, Text {

		String text();

		static List<Node> parse(String html) {
			TreeBuilder builder = new TreeBuilder();
			try {
				new SimpleMarkupParser(ParseConfiguration.htmlConfiguration()).parse(html, builder);
			}
			catch (ParseException ex) {
				throw new AssertionError("Not HTML: " + html, ex);
			}
			assertThat(builder.open).as("elements left open in %s", html).hasSize(1);
			return builder.root.children();
		}
	}

	/** An element with its attributes (values decoded; an attribute without a value is "") and children. */
	record Element(String name, Map<String, String> attributes, List<Node> children) implements Node {

		@Override
		public String text() {
			StringBuilder text = new StringBuilder();
			this.children.forEach(child -> text.append(child.text()));
			return text.toString();
		}
	}

	/** Text, entities decoded. */
	record Text(String text) implements Node {
	}

	private static final class TreeBuilder extends AbstractSimpleMarkupHandler {

		final Element root = new Element("#root", Map.of(), new ArrayList<>());

		final List<Element> open = new ArrayList<>(List.of(this.root));

		@Override
		public void handleOpenElement(String name, Map<String, String> attributes, int line, int col) {
			Element element = new Element(name, decoded(attributes), new ArrayList<>());
			current().children().add(element);
			this.open.add(element);
		}

		@Override
		public void handleStandaloneElement(String name, Map<String, String> attributes, boolean minimized, int line,
				int col) {
			current().children().add(new Element(name, decoded(attributes), new ArrayList<>()));
		}

		@Override
		public void handleAutoOpenElement(String name, Map<String, String> attributes, int line, int col) {
			throw new AssertionError("The parser had to open <" + name + "> itself");
		}

		@Override
		public void handleCloseElement(String name, int line, int col) {
			assertThat(current().name()).as("element closed at %d:%d", line, col).isEqualTo(name);
			this.open.remove(this.open.size() - 1);
		}

		@Override
		public void handleAutoCloseElement(String name, int line, int col) {
			throw new AssertionError("The parser had to close <" + name + "> itself");
		}

		@Override
		public void handleUnmatchedCloseElement(String name, int line, int col) {
			throw new AssertionError("Unmatched </" + name + ">");
		}

		@Override
		public void handleText(char[] buffer, int offset, int len, int line, int col) {
			current().children().add(new Text(HtmlEscape.unescapeHtml(new String(buffer, offset, len))));
		}

		@Override
		public void handleComment(char[] buffer, int offset, int len, int line, int col) {
			throw new AssertionError("A comment in a chat fragment");
		}

		@Override
		public void handleCDATASection(char[] buffer, int offset, int len, int line, int col) {
			throw new AssertionError("A CDATA section in a chat fragment");
		}

		private Element current() {
			return this.open.get(this.open.size() - 1);
		}

		private static Map<String, String> decoded(@Nullable Map<String, String> attributes) {
			Map<String, String> decoded = new LinkedHashMap<>();
			if (attributes != null) {
				attributes.forEach((key, value) -> decoded.put(key, value == null ? "" : HtmlEscape.unescapeHtml(value)));
			}
			return decoded;
		}
	}
}
