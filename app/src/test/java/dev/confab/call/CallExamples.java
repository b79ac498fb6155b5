package dev.confab.call;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.ice.IceExamples;
import dev.confab.ice.IceServers;

/**
 * Test seam: the call's messages of docs/protocol.md, built by the production classes
 * ({@link CallFragments}, {@link CallMessages}, {@link SignalRequest}, {@link IceServers}) from
 * fixed inputs. Ids are the document's placeholders ({@code A}, {@code B}, ...), not real
 * 22-character ids; the message classes do not look at their form.
 */
public final class CallExamples {

	/** The resume secret the examples show (43 characters of base64url, as {@link ResumeSecrets} makes them). */
	public static final String SECRET = "q3XvT0kLm8Qe2WbN7yHc5RsA1dFgJ4uZp6iOx9EtKwM";

	/** The shared secret and the moment of the ICE example, so its credential is the one coturn would check. */
	public static final String TURN_SECRET = "example-secret";

	public static final Instant ICE_NOW = Instant.ofEpochSecond(1_764_000_000L);

	private static final String ROOM = "standup";

	/** A well-formed id for where the server checks the form ({@code to} of a signal); it is not relayed. */
	private static final String WELL_FORMED_ID = "BBBBBBBBBBBBBBBBBBBBBB";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final CallFragments fragments;

	private final Participant alice = person("A", "alice", 0, false);

	private final Participant bob = person("B", "bob", 0, false);

	/** The defaults of confab.call.*. */
	static final CallProperties PROPERTIES = new CallProperties(Duration.ofSeconds(30), Duration.ofSeconds(5), 10, 8,
			Duration.ofMinutes(5), 30, 1024, 8);

	/** Alice (user-A) created the room and owns it; nothing set. */
	private static final RoomState ROOM_STATE = new RoomState("user-A", "user-A", false, false, null);

	public CallExamples(ISpringWebFluxTemplateEngine templates) {
		this.fragments = new CallFragments(templates, PROPERTIES);
	}

	private String roster(List<Participant> participants, long version) {
		return this.fragments.roster(new PresenceRepository.CallNow(version, participants, ROOM_STATE));
	}

	/** "Join sequence": bob joins alice's call (roster version 12); what bob gets, in order. */
	public List<Object> joinToNewcomer() {
		List<Participant> others = List.of(this.alice);
		List<Participant> everyone = List.of(this.alice, this.bob);
		// As CallService.join composes it: the tiles of those already there, then the roster.
		return List.of(CallMessages.html(this.fragments.tiles(others, 12) + roster(everyone, 12)),
				CallMessages.connect(this.bob, SECRET, defaultIce().forParticipant(this.bob.id(), false)),
				CallMessages.others(others));
	}

	/** "Join sequence": what alice (everyone already there) gets, in order. */
	public List<Object> joinToOthers() {
		return List.of(CallMessages.html(bobsTile()), CallMessages.other(this.bob));
	}

	/** The tile fragment of bob, roster version 12. */
	public String bobsTile() {
		return this.fragments.tiles(List.of(this.bob), 12);
	}

	/** "ICE servers": bob's connect in a relay-only room, with STUN and TURN configured. */
	public Object relayOnlyConnect() {
		IceServers ice = IceExamples.at(List.of("stun:turn.example.org:3478"),
				List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp"),
				TURN_SECRET, Duration.ofHours(1), ICE_NOW);
		return CallMessages.connect(this.bob, SECRET, ice.forParticipant(this.bob.id(), true));
	}

	/**
	 * "Signal": what the recipient gets when alice sends this body to {@code /app/signal}, through
	 * the same validation and rebuilding as the server's handler.
	 */
	public Object signalFromAlice(String sentBody) {
		JsonNode body = JSON.readTree(sentBody);
		if (!"B".equals(body.path("to").asString(""))) {
			throw new AssertionError("The examples send to B: " + sentBody);
		}
		SignalRequest request = new SignalRequest(WELL_FORMED_ID, body.get("description"), body.get("candidate"));
		return CallMessages.signal(this.alice, request);
	}

	/** "Leave": what everyone left gets when bob leaves. */
	public Object bobLeft() {
		return CallMessages.disconnected(this.bob);
	}

	/**
	 * "Resume": bob (epoch 1, from one earlier reload) resumes, not fresh, with these peers; alice is
	 * unchanged, cy reloaded meanwhile (epoch 2), dee joined meanwhile (no tile on bob's page).
	 * Roster version 15. What bob gets, in order, as Resumption composes it.
	 */
	public List<Object> resumeToResumer(Map<String, Integer> peers) {
		Participant resumer = person("B", "bob", 1, false);
		List<Participant> others = resumeOthers();
		ResumeRequest request = new ResumeRequest(resumer.id(), SECRET, false, peers);
		List<Participant> missingTiles = others.stream().filter(other -> !request.hasTile(other)).toList();
		List<Participant> everyone = List.of(others.get(0), resumer, others.get(1), others.get(2));
		String roster = roster(everyone, 15);
		return List.of(CallMessages.html(missingTiles.isEmpty() ? roster : this.fragments.tiles(missingTiles, 15) + roster),
				CallMessages.resumed(resumer, others, request, defaultIce().forParticipant(resumer.id(), false)));
	}

	/** "Resume": to a participant whose pair with bob is not live. */
	public Object renewBob() {
		return CallMessages.renew(person("B", "bob", 1, false));
	}

	/** "Resume": to a participant whose pair with bob lives on. */
	public Object bobIsBack() {
		return CallMessages.back(person("B", "bob", 1, false));
	}

	/** "Room roster": alice and bob, bob away, version 12, as the topic carries it. */
	public Object rosterMessage() {
		return CallMessages.html(roster());
	}

	public String roster() {
		return roster(List.of(this.alice, person("B", "bob", 0, true)), 12);
	}

	/** "Joining a room its owner controls": the answers to a join that does not happen now. */
	public List<Object> joinOutcomes() {
		return List.of(CallMessages.refused("locked", RoomAdmission.LOCKED),
				CallMessages.refused("full", RoomAdmission.full(8)),
				CallMessages.refused("removed", RoomAdmission.REMOVED),
				CallMessages.waiting(RoomAdmission.WAITING), CallMessages.admitted(),
				CallMessages.refused("refused", RoomAdmission.NOT_LET_IN));
	}

	/** "The owner's controls": what the owner's pages get while eve (knock K) waits. */
	public String knocks() {
		return this.fragments.knocks(List.of(new Knock("KKKKKKKKKKKKKKKKKKKKKK", ROOM, "session-K", "user-K", "eve")));
	}

	/** "The owner's controls": to a participant removed, and to one asked to mute. */
	public List<Object> toTheTarget() {
		return List.of(CallMessages.removed(RoomControl.REMOVED), CallMessages.muteRequest());
	}

	/** "Hands and reactions": bob's reaction, to everyone in the call. */
	public Object bobsReaction() {
		return CallMessages.reaction(this.bob, "tada");
	}

	/**
	 * "Hands and reactions": alice owns the room and locked it, bob raised his hand first, cy second,
	 * capacity 6, version 14.
	 */
	public String rosterWithHands() {
		OffsetDateTime at = OffsetDateTime.parse("2026-12-02T10:00:00Z");
		Participant bobHand = new Participant("B", ROOM, "session-B", "user-B", "bob", 0, false, at);
		Participant cyHand = new Participant("C", ROOM, "session-C", "user-C", "cy", 0, false, at.plusSeconds(5));
		RoomState locked = new RoomState("user-A", "user-A", true, false, 6);
		return this.fragments.roster(new PresenceRepository.CallNow(14, List.of(this.alice, bobHand, cyHand), locked));
	}

	private static List<Participant> resumeOthers() {
		return List.of(person("A", "alice", 0, false), person("C", "cy", 2, false), person("D", "dee", 0, false));
	}

	/** The default ICE configuration of a deployment with TURN (1 h credentials); only its shape is shown. */
	private static IceServers defaultIce() {
		return IceExamples.at(List.of("stun:turn.example.org:3478"), List.of("turn:turn.example.org:3478?transport=udp"),
				TURN_SECRET, Duration.ofHours(1), ICE_NOW);
	}

	private static Participant person(String id, String name, int epoch, boolean away) {
		return new Participant(id, ROOM, "session-" + id, "user-" + id, name, epoch, away, null);
	}
}
