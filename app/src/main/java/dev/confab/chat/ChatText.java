package dev.confab.chat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A chat message as the page shows it: runs of text, and links for the {@code http}/{@code https}
 * URLs in it. Nothing else becomes a link: {@code javascript:}, {@code data:}, {@code mailto:} and
 * anything {@link URI} does not parse with a host stay text. The template renders both kinds as
 * text (th:text, th:href), so no segment can carry markup. Public for the template's expressions.
 */
public final class ChatText {

	/** Where a link may start: a scheme at a word boundary, up to white space or a character a URL never holds. */
	private static final Pattern CANDIDATE = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"]+");

	/** Punctuation that ends a sentence rather than a URL: "see https://example.org." */
	private static final String TRAILING = ".,;:!?'*_~";

	private ChatText() {
	}

	/**
	 * One run of the message.
	 *
	 * @param text what the page shows, as typed
	 * @param href the link target for a URL (the text with non-ASCII characters percent-encoded); null for plain text
	 */
	public record Segment(String text, @Nullable String href) {

		static Segment plain(String text) {
			return new Segment(text, null);
		}
	}

	/** The message cut into text and links, in order; adjacent text is one segment. */
	public static List<Segment> segments(String message) {
		List<Segment> segments = new ArrayList<>();
		StringBuilder plain = new StringBuilder();
		Matcher candidates = CANDIDATE.matcher(message);
		int done = 0;
		while (candidates.find()) {
			int end = urlEnd(message, candidates.start(), candidates.end());
			String href = linkTarget(message.substring(candidates.start(), end));
			if (href == null) {
				continue;
			}
			plain.append(message, done, candidates.start());
			if (!plain.isEmpty()) {
				segments.add(Segment.plain(plain.toString()));
				plain.setLength(0);
			}
			segments.add(new Segment(message.substring(candidates.start(), end), href));
			done = end;
		}
		plain.append(message, done, message.length());
		if (!plain.isEmpty()) {
			segments.add(Segment.plain(plain.toString()));
		}
		return segments;
	}

	/**
	 * Where the URL found in {@code [start, end)} really ends: trailing sentence punctuation is left
	 * out, and so is a closing bracket the URL did not open ("(see https://example.org/x)").
	 */
	private static int urlEnd(String text, int start, int end) {
		while (end > start) {
			char last = text.charAt(end - 1);
			if (TRAILING.indexOf(last) >= 0 || last == ')' && unbalanced(text, start, end, '(', ')')
					|| last == ']' && unbalanced(text, start, end, '[', ']')) {
				end--;
			}
			else {
				break;
			}
		}
		return end;
	}

	private static boolean unbalanced(String text, int start, int end, char open, char close) {
		int depth = 0;
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (c == open) {
				depth++;
			}
			else if (c == close) {
				depth--;
			}
		}
		return depth < 0;
	}

	/** The href for a candidate that {@link URI} parses as an http(s) URL with a host; null otherwise. */
	private static @Nullable String linkTarget(String candidate) {
		try {
			URI uri = new URI(candidate);
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()) {
				return null;
			}
			return uri.toASCIIString();
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}
}
