package dev.confab.chat;

import tools.jackson.databind.JsonNode;

/**
 * A client's {@code /app/chat} body, {@code {"text": "..."}}, cleaned and checked as it is built.
 *
 * @param text what the participant wrote: cleaned, stripped, 1 to {@code maxLength} code points
 */
record ChatRequest(String text) {

	static final String MALFORMED = "Not a chat message.";

	static final String EMPTY = "Empty chat message.";

	private static final char REPLACEMENT = '\uFFFD';

	/** The body must be exactly {@code {"text": <string>}}: nothing else a client adds is stored or shown. */
	static ChatRequest from(JsonNode body, int maxLength) {
		if (body == null || !body.isObject() || body.size() != 1 || !body.has("text") || !body.get("text").isString()) {
			throw new ChatRefused(MALFORMED);
		}
		String text = clean(body.get("text").asString()).strip();
		if (text.isEmpty()) {
			throw new ChatRefused(EMPTY);
		}
		if (text.codePointCount(0, text.length()) > maxLength) {
			throw new ChatRefused(tooLong(maxLength));
		}
		return new ChatRequest(text);
	}

	static String tooLong(int maxLength) {
		return "Chat messages are at most " + maxLength + " characters.";
	}

	/**
	 * Line breaks become {@code \n} (tabs stay); every other control character (C0, DEL, C1) is
	 * removed: PostgreSQL refuses NUL in text, and the others mean nothing in a page but can hide
	 * text from one reader and not another. A lone surrogate, which no encoding can store, becomes U+FFFD.
	 */
	static String clean(String raw) {
		StringBuilder out = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '\r') {
				out.append('\n');
				if (i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
					i++;
				}
			}
			else if (c == '\n' || c == '\t') {
				out.append(c);
			}
			else if (Character.isISOControl(c)) {
				// dropped
			}
			else if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
				out.append(c).append(raw.charAt(++i));
			}
			else {
				out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
			}
		}
		return out.toString();
	}

	@Override
	public String toString() {
		return "ChatRequest[" + this.text.length() + " chars]";
	}
}
