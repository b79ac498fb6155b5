package dev.confab.call;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's {@code /app/signal} body: a description or an ICE candidate for one participant.
 * Validates itself, and {@link #payload()} keeps only the fields WebRTC needs, so nothing else a
 * client adds is relayed.
 */
record SignalRequest(String to, @Nullable JsonNode description, @Nullable JsonNode candidate) {

	private static final Set<String> DESCRIPTION_TYPES = Set.of("offer", "answer", "pranswer", "rollback");

	private static final int MAX_SDP_CHARS = 60_000;

	private static final int MAX_CANDIDATE_CHARS = 1_024;

	SignalRequest {
		if (to == null || !ParticipantIds.FORMAT.matcher(to).matches()) {
			throw new ProtocolViolation("A signal needs \"to\": a participant id.");
		}
		if ((description == null) == (candidate == null)) {
			throw new ProtocolViolation("A signal carries exactly one of \"description\" and \"candidate\".");
		}
		if (description != null) {
			checkDescription(description);
		}
		else {
			checkCandidate(candidate);
		}
	}

	boolean isDescription() {
		return this.description != null;
	}

	/** The description or candidate rebuilt from its known fields; JSON null marks the end of candidates. */
	JsonNode payload() {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		if (this.description != null) {
			ObjectNode clean = nodes.objectNode();
			clean.put("type", this.description.get("type").asString());
			JsonNode sdp = this.description.get("sdp");
			if (sdp != null && sdp.isString()) {
				clean.put("sdp", sdp.asString());
			}
			return clean;
		}
		if (this.candidate == null || this.candidate.isNull()) {
			return nodes.nullNode();
		}
		ObjectNode clean = nodes.objectNode();
		clean.put("candidate", this.candidate.get("candidate").asString());
		copyIf(this.candidate, clean, "sdpMid", JsonNode::isString);
		copyIf(this.candidate, clean, "sdpMLineIndex", JsonNode::isInt);
		copyIf(this.candidate, clean, "usernameFragment", JsonNode::isString);
		return clean;
	}

	private static void copyIf(JsonNode from, ObjectNode to, String field, java.util.function.Predicate<JsonNode> valid) {
		JsonNode value = from.get(field);
		if (value != null && valid.test(value)) {
			to.set(field, value);
		}
	}

	private static void checkDescription(JsonNode description) {
		JsonNode type = description.get("type");
		JsonNode sdp = description.get("sdp");
		if (!description.isObject() || type == null || !DESCRIPTION_TYPES.contains(type.asString(""))) {
			throw new ProtocolViolation("A description needs a \"type\" of offer, answer, pranswer or rollback.");
		}
		if (sdp != null && (!sdp.isString() || sdp.asString().length() > MAX_SDP_CHARS)) {
			throw new ProtocolViolation("A description's \"sdp\" must be a string of at most " + MAX_SDP_CHARS + " characters.");
		}
	}

	private static void checkCandidate(@Nullable JsonNode candidate) {
		if (candidate == null || candidate.isNull()) {
			return;
		}
		JsonNode text = candidate.get("candidate");
		if (!candidate.isObject() || text == null || !text.isString() || text.asString().length() > MAX_CANDIDATE_CHARS) {
			throw new ProtocolViolation("A candidate needs a \"candidate\" string of at most " + MAX_CANDIDATE_CHARS + " characters.");
		}
	}
}
