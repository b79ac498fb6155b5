package dev.confab.call;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A client's {@code /app/resume} body (docs/protocol.md, "Resume"), validated as it is built.
 *
 * @param id     the participant to resume
 * @param secret its resume secret, as {@code connect} gave it
 * @param fresh  the page has no peer connections from before (a reload)
 * @param peers  participant id to the epoch this page's live peer connection with it knows
 */
record ResumeRequest(String id, String secret, boolean fresh, Map<String, Integer> peers) {

	static final int MAX_PEERS = 64;

	private static final String MALFORMED = "Not a resume request.";

	static ResumeRequest from(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new ProtocolViolation(MALFORMED);
		}
		String id = text(body.get("id"));
		String secret = text(body.get("secret"));
		JsonNode fresh = body.get("fresh");
		JsonNode peers = body.get("peers");
		if (id == null || !ParticipantIds.FORMAT.matcher(id).matches() || secret == null
				|| !ResumeSecrets.FORMAT.matcher(secret).matches() || fresh != null && !fresh.isBoolean()
				|| peers != null && !peers.isObject() || peers != null && peers.size() > MAX_PEERS) {
			throw new ProtocolViolation(MALFORMED);
		}
		Map<String, Integer> known = new LinkedHashMap<>();
		if (peers != null) {
			for (Map.Entry<String, JsonNode> peer : peers.properties()) {
				JsonNode epoch = peer.getValue();
				if (!ParticipantIds.FORMAT.matcher(peer.getKey()).matches() || !epoch.isInt() || epoch.intValue() < 0) {
					throw new ProtocolViolation(MALFORMED);
				}
				known.put(peer.getKey(), epoch.intValue());
			}
		}
		return new ResumeRequest(id, secret, fresh != null && fresh.booleanValue(), Map.copyOf(known));
	}

	/** Whether this page's peer connection with that participant is live: same participant, same page load. */
	boolean isLive(Participant other) {
		return !this.fresh && Integer.valueOf(other.epoch()).equals(this.peers.get(other.id()));
	}

	/** Whether this page shows a tile for that participant already. */
	boolean hasTile(Participant other) {
		return !this.fresh && this.peers.containsKey(other.id());
	}

	@Override
	public String toString() {
		return "ResumeRequest[id=" + this.id + ", fresh=" + this.fresh + ", peers=" + this.peers.size() + "]";
	}

	private static String text(JsonNode node) {
		return node != null && node.isString() ? node.asString() : null;
	}
}
