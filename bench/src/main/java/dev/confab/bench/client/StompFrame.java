package dev.confab.bench.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One STOMP 1.2 frame as text: command, headers in order, body. Enough of the codec for a load
 * driver: bodies are text without NUL, so frames end at the first NUL.
 */
public record StompFrame(String command, Map<String, String> headers, String body) {

	public StompFrame {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		body = body == null ? "" : body;
	}

	/** A frame without a body: {@code of("SUBSCRIBE", "id", "0", "destination", "/topic/x")}. */
	public static StompFrame of(String command, String... nameValuePairs) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
			headers.put(nameValuePairs[i], nameValuePairs[i + 1]);
		}
		return new StompFrame(command, headers, "");
	}

	public StompFrame withBody(String newBody) {
		return new StompFrame(this.command, this.headers, newBody);
	}

	public String header(String name) {
		return this.headers.get(name);
	}

	/** The wire text, NUL included. CONNECT and CONNECTED headers are not escaped (STOMP 1.2). */
	public String encode() {
		boolean escape = !"CONNECT".equals(this.command) && !"CONNECTED".equals(this.command);
		StringBuilder out = new StringBuilder(this.command.length() + 64 + this.body.length());
		out.append(this.command).append('\n');
		this.headers.forEach((name, value) -> out.append(escape ? escaped(name) : name).append(':')
				.append(escape ? escaped(value) : value).append('\n'));
		return out.append('\n').append(this.body).append('\0').toString();
	}

	/** One frame's text without its NUL; null when it held only heart-beat newlines. */
	public static StompFrame decode(String text) {
		int start = 0;
		while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
			start++;
		}
		if (start == text.length()) {
			return null;
		}
		int headEnd = text.indexOf("\n\n", start);
		String head = headEnd < 0 ? text.substring(start) : text.substring(start, headEnd);
		String body = headEnd < 0 ? "" : text.substring(headEnd + 2);
		String[] lines = head.split("\r?\n");
		boolean unescape = !"CONNECTED".equals(lines[0]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				String value = lines[i].substring(colon + 1);
				// STOMP 1.2: the first occurrence of a repeated header counts.
				headers.putIfAbsent(lines[i].substring(0, colon), unescape ? unescaped(value) : value);
			}
		}
		return new StompFrame(lines[0].strip(), headers, body);
	}

	private static String escaped(String value) {
		return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace(":", "\\c");
	}

	private static String unescaped(String value) {
		if (value.indexOf('\\') < 0) {
			return value;
		}
		StringBuilder out = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length()) {
				char next = value.charAt(++i);
				out.append(switch (next) {
					case 'n' -> '\n';
					case 'r' -> '\r';
					case 'c' -> ':';
					default -> next;
				});
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}
}
