package dev.confab.call;

import tools.jackson.databind.JsonNode;

/**
 * Reads the small JSON bodies of hands, reactions and the owner's controls: exactly the one field
 * each needs, of the right type, or the request is refused.
 */
final class ControlRequests {

	private ControlRequests() {
	}

	static boolean flag(JsonNode body, String field) {
		JsonNode value = only(body, field);
		if (!value.isBoolean()) {
			throw malformed(field);
		}
		return value.booleanValue();
	}

	static int number(JsonNode body, String field) {
		JsonNode value = only(body, field);
		if (!value.isInt()) {
			throw malformed(field);
		}
		return value.intValue();
	}

	/** A participant or knock id: 22 url-safe characters. */
	static String id(JsonNode body, String field) {
		String id = text(body, field, 32);
		if (!ParticipantIds.FORMAT.matcher(id).matches()) {
			throw malformed(field);
		}
		return id;
	}

	static String text(JsonNode body, String field, int maxLength) {
		JsonNode value = only(body, field);
		if (!value.isString() || value.asString().length() > maxLength) {
			throw malformed(field);
		}
		return value.asString();
	}

	private static JsonNode only(JsonNode body, String field) {
		if (body == null || !body.isObject() || body.size() != 1 || body.get(field) == null) {
			throw malformed(field);
		}
		return body.get(field);
	}

	private static ProtocolViolation malformed(String field) {
		return new ProtocolViolation("Expected a body with the one field \"" + field + "\".");
	}
}
