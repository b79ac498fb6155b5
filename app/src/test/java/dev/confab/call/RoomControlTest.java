package dev.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.confab.identity.ConfabUser;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;
import dev.confab.support.TestCalls;

import static dev.confab.call.CallSignalingTest.joinAfterOthers;
import static dev.confab.call.CallSignalingTest.joinAlone;
import static dev.confab.support.Events.html;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A room its owner controls, at the STOMP level (docs/protocol.md, "Room control"): lock, waiting
 * room, removal, capacity, asking to mute, handing over, and every owner command refused to
 * anyone else. Runs in both broker modes.
 */
@dev.confab.support.ConfabServerTest
class RoomControlTest {

	@Autowired
	TestCalls calls;

	@Autowired
	LocalMembership membership;

	@Autowired
	PresenceRepository presence;

	@Test
	void everyOwnerCommandIsRefusedToAnyoneElse() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("owner-only", olga);
		try (StompTestClient owner = this.calls.connect(olga)) {
			String ownerId = joinAlone(owner, room);
			List<String> commands = List.of("/app/owner/lock|{\"locked\":true}", "/app/owner/waiting-room|{\"on\":true}",
					"/app/owner/capacity|{\"capacity\":3}", "/app/owner/admit|{\"knock\":\"" + ownerId + "\"}",
					"/app/owner/refuse|{\"knock\":\"" + ownerId + "\"}", "/app/owner/remove|{\"id\":\"" + ownerId + "\"}",
					"/app/owner/mute|{\"id\":\"" + ownerId + "\"}", "/app/owner/lower-hand|{\"id\":\"" + ownerId + "\"}",
					"/app/owner/hand-over|{\"id\":\"" + ownerId + "\"}");
			for (String command : commands) {
				String[] parts = command.split("\\|", 2);
				try (StompTestClient other = this.calls.connect("mallory")) {
					joinAfterOthers(other, room);
					other.send(parts[0], parts[1]);
					assertThat(other.awaitError()).as(parts[0]).isEqualTo("Only the room's owner can do that.");
				}
			}
			// Nothing changed: the owner is still alone with an open room, its hand down, its ownership kept.
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 1);
			String roster = latestRoster(owner, room);
			assertThat(roster).contains("data-locked=\"false\"", "data-waiting-room=\"false\"", "data-capacity=\"8\"",
					"data-owner=\"true\"");
		}
	}

	@Test
	void ownerCommandsFromASessionInNoCallAreRefused() throws Exception {
		try (StompTestClient outsider = this.calls.connect("oz")) {
			outsider.send("/app/owner/lock", "{\"locked\":true}");
			assertThat(outsider.awaitError()).isEqualTo("Join a call before using the owner's controls.");
		}
	}

	@Test
	void malformedOwnerCommandsAreRefused() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("owner-malformed", olga);
		for (String body : List.of("{}", "{\"locked\":\"yes\"}", "{\"locked\":true,\"extra\":1}", "[]")) {
			try (StompTestClient owner = this.calls.connect(olga)) {
				joinAlone(owner, room);
				owner.send("/app/owner/lock", body);
				assertThat(owner.awaitError()).as(body).isEqualTo("Expected a body with the one field \"locked\".");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 0);
		}
	}

	@Test
	void aLockedRoomRefusesNewcomersButNotTheOwnersOtherTab() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("locked", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bob = this.calls.connect("bob");
				StompTestClient ownerTab = this.calls.connect(olga)) {
			joinAlone(owner, room);
			owner.subscribe(topic(room));
			owner.send("/app/owner/lock", "{\"locked\":true}");
			assertThat(awaitRoster(owner, "data-locked=\"true\"")).contains("Locked: nobody new can join.");

			bob.send("/app/room/" + room + "/join", "{}");
			Received refused = bob.nextMatching(m -> isRtc(m, "refused"), "the refusal");
			assertThat(refused.body().get("rtc").get("reason").asString()).isEqualTo("locked");
			assertThat(refused.body().get("rtc").get("message").asString()).isEqualTo("This room is locked.");
			assertThat(bob.isConnected()).as("a refused joiner stays connected").isTrue();
			assertThat(this.calls.participantsIn(room)).isEqualTo(1);

			joinAfterOthers(ownerTab, room);
			owner.send("/app/owner/lock", "{\"locked\":false}");
			awaitRoster(owner, "data-locked=\"false\"");
			joinAfterOthers(bob, room);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 3);
		}
	}

	@Test
	void theWaitingRoomLetsInAndRefusesWhomTheOwnerChooses() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("waiting", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient eve = this.calls.connect("eve");
				StompTestClient fay = this.calls.connect("fay"); StompTestClient gus = this.calls.connect("gus")) {
			joinAlone(owner, room);
			owner.subscribe(topic(room));
			owner.send("/app/owner/waiting-room", "{\"on\":true}");
			awaitRoster(owner, "data-waiting-room=\"true\"");

			eve.send("/app/room/" + room + "/join", "{}");
			assertThat(eve.nextMatching(m -> isRtc(m, "waiting"), "waiting").body().get("rtc").get("message").asString())
				.isEqualTo("Waiting for the owner to let you in.");
			String eveKnock = knockOf(owner, "eve");
			fay.send("/app/room/" + room + "/join", "{}");
			fay.nextMatching(m -> isRtc(m, "waiting"), "waiting");
			String fayKnock = knockOf(owner, "fay");
			assertThat(this.calls.participantsIn(room)).as("nobody waiting is in the call").isEqualTo(1);

			owner.send("/app/owner/admit", "{\"knock\":\"" + eveKnock + "\"}");
			eve.nextMatching(m -> isRtc(m, "admitted"), "admitted");
			joinAfterOthers(eve, room);

			owner.send("/app/owner/refuse", "{\"knock\":\"" + fayKnock + "\"}");
			Received refused = fay.nextMatching(m -> isRtc(m, "refused"), "refused");
			assertThat(refused.body().get("rtc").get("reason").asString()).isEqualTo("refused");
			assertThat(refused.body().get("rtc").get("message").asString()).isEqualTo("The owner did not let you in.");

			// One who stops waiting leaves the owner's list.
			gus.send("/app/room/" + room + "/join", "{}");
			gus.nextMatching(m -> isRtc(m, "waiting"), "waiting");
			knockOf(owner, "gus");
			gus.send("/app/room/" + room + "/leave", "{}");
			owner.nextMatching(m -> isKnockList(m) && !html(m).contains("gus"), "the list without gus");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 2);
		}
	}

	@Test
	void turningTheWaitingRoomOffLetsEveryoneWaitingIn() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("waiting-off", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient eve = this.calls.connect("eve")) {
			joinAlone(owner, room);
			owner.subscribe(topic(room));
			owner.send("/app/owner/waiting-room", "{\"on\":true}");
			awaitRoster(owner, "data-waiting-room=\"true\"");
			eve.send("/app/room/" + room + "/join", "{}");
			eve.nextMatching(m -> isRtc(m, "waiting"), "waiting");
			owner.send("/app/owner/waiting-room", "{\"on\":false}");
			eve.nextMatching(m -> isRtc(m, "admitted"), "admitted");
			joinAfterOthers(eve, room);
		}
	}

	@Test
	void aRemovedParticipantsCallEndsAndItsUserStaysOutForAWhile() throws Exception {
		ConfabUser olga = user("olga");
		ConfabUser bob = user("bob");
		String room = this.calls.room("removal", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bobs = this.calls.connect(bob);
				StompTestClient bobsNextTab = this.calls.connect(bob)) {
			joinAlone(owner, room);
			String bobId = joinAfterOthers(bobs, room);
			String bobsSession = this.presence.byId(bobId).block().sessionId();
			owner.send("/app/owner/remove", "{\"id\":\"" + bobId + "\"}");
			owner.nextMatching(m -> m.body().has("remove") && "#tile-{id}".replace("{id}", bobId)
				.equals(m.body().get("remove").asString()), "bob's tile removed");
			Received removed = bobs.nextMatching(m -> isRtc(m, "removed"), "removed");
			assertThat(removed.body().get("rtc").get("message").asString()).isEqualTo("The owner removed you from the call.");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.membership.participant(bobsSession).isEmpty());

			// The call is over for that session: its signals are refused, its socket still open until then.
			assertThat(bobs.isConnected()).isTrue();
			bobs.send("/app/signal", "{\"to\":\"" + bobId + "\",\"candidate\":null}");
			assertThat(bobs.awaitError()).isEqualTo("Join a call before sending signals.");

			bobsNextTab.send("/app/room/" + room + "/join", "{}");
			Received refused = bobsNextTab.nextMatching(m -> isRtc(m, "refused"), "refused");
			assertThat(refused.body().get("rtc").get("reason").asString()).isEqualTo("removed");
			assertThat(this.calls.participantsIn(room)).isEqualTo(1);
		}
	}

	@Test
	void theOwnerCannotRemoveItself() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("self-removal", olga);
		try (StompTestClient owner = this.calls.connect(olga)) {
			String ownerId = joinAlone(owner, room);
			owner.send("/app/owner/remove", "{\"id\":\"" + ownerId + "\"}");
			assertThat(owner.awaitError()).isEqualTo("The owner cannot be removed; hand over first.");
		}
	}

	@Test
	void aFullRoomRefusesTheNextJoiner() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("capacity", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bob = this.calls.connect("bob");
				StompTestClient cy = this.calls.connect("cy")) {
			joinAlone(owner, room);
			owner.subscribe(topic(room));
			owner.send("/app/owner/capacity", "{\"capacity\":2}");
			awaitRoster(owner, "data-capacity=\"2\"");
			joinAfterOthers(bob, room);
			cy.send("/app/room/" + room + "/join", "{}");
			Received refused = cy.nextMatching(m -> isRtc(m, "refused"), "refused");
			assertThat(refused.body().get("rtc").get("reason").asString()).isEqualTo("full");
			assertThat(refused.body().get("rtc").get("message").asString())
				.isEqualTo("This room is full: 2 people are in the call.");
			assertThat(this.calls.participantsIn(room)).isEqualTo(2);
		}
	}

	@Test
	void theInstallationsLimitHoldsForEveryRoom() throws Exception {
		String room = this.calls.room("eight");
		List<StompTestClient> clients = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 8; i++) {
				StompTestClient client = this.calls.connect("p" + i);
				clients.add(client);
				client.send("/app/room/" + room + "/join", "{}");
				client.nextMatching(m -> isRtc(m, "others"), "joined");
			}
			StompTestClient ninth = this.calls.connect("p8");
			clients.add(ninth);
			ninth.send("/app/room/" + room + "/join", "{}");
			assertThat(ninth.nextMatching(m -> isRtc(m, "refused"), "refused").body().get("rtc").get("message").asString())
				.isEqualTo("This room is full: 8 people are in the call.");
		}
		finally {
			clients.forEach(StompTestClient::close);
		}
	}

	@Test
	void anOwnerCannotSetACapacityOutsideTwoToTheInstallationsLimit() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("capacity-bounds", olga);
		for (int capacity : new int[] { 1, 9 }) {
			try (StompTestClient owner = this.calls.connect(olga)) {
				joinAlone(owner, room);
				owner.send("/app/owner/capacity", "{\"capacity\":" + capacity + "}");
				assertThat(owner.awaitError()).isEqualTo("A room's capacity is between 2 and 8 people.");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 0);
		}
	}

	@Test
	void askingToMuteReachesOnlyTheTarget() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("mute", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bob = this.calls.connect("bob");
				StompTestClient cy = this.calls.connect("cy")) {
			joinAlone(owner, room);
			String bobId = joinAfterOthers(bob, room);
			joinAfterOthers(cy, room);
			owner.send("/app/owner/mute", "{\"id\":\"" + bobId + "\"}");
			bob.nextMatching(m -> isRtc(m, "mute-request"), "the request");
			assertThat(cy.drain(Duration.ofMillis(500))).noneMatch(m -> isRtc(m, "mute-request"));
		}
	}

	@Test
	void handingOverMovesTheOwnersPowers() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("hand-over", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bob = this.calls.connect("bob")) {
			String ownerId = joinAlone(owner, room);
			String bobId = joinAfterOthers(bob, room);
			bob.subscribe(topic(room));
			owner.send("/app/owner/hand-over", "{\"id\":\"" + bobId + "\"}");
			String roster = awaitRoster(bob, "data-participant=\"" + bobId + "\" data-owner=\"true\"");
			assertThat(roster).doesNotContain("data-participant=\"" + ownerId + "\" data-owner");
			bob.send("/app/owner/lock", "{\"locked\":true}");
			awaitRoster(bob, "data-locked=\"true\"");
			owner.send("/app/owner/lock", "{\"locked\":false}");
			assertThat(owner.awaitError()).isEqualTo("Only the room's owner can do that.");
		}
	}

	/** The owner leaving passes the room to whoever has been in the call longest; an empty call gives it back to its creator. */
	@Test
	void ownershipPassesToTheLongestPresentAndBackToTheCreator() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("succession", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bob = this.calls.connect("bob");
				StompTestClient cy = this.calls.connect("cy")) {
			joinAlone(owner, room);
			String bobId = joinAfterOthers(bob, room);
			joinAfterOthers(cy, room);
			cy.subscribe(topic(room));
			owner.send("/app/owner/lock", "{\"locked\":true}");
			awaitRoster(cy, "data-locked=\"true\"");
			owner.send("/app/room/" + room + "/leave", "{}");
			awaitRoster(cy, "data-participant=\"" + bobId + "\" data-owner=\"true\"");
			bob.send("/app/owner/lock", "{\"locked\":false}");
			awaitRoster(cy, "data-locked=\"false\"");
			bob.send("/app/owner/lock", "{\"locked\":true}");
			awaitRoster(cy, "data-locked=\"true\"");

			bob.send("/app/room/" + room + "/leave", "{}");
			cy.send("/app/room/" + room + "/leave", "{}");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.participantsIn(room) == 0);
			// Empty: the creator owns it again, and it is open.
			try (StompTestClient back = this.calls.connect(olga); StompTestClient dan = this.calls.connect("dan")) {
				joinAlone(dan, room);
				dan.subscribe(topic(room));
				assertThat(latestRoster(dan, room)).contains("data-locked=\"false\"").doesNotContain("data-owner=\"true\"");
				joinAfterOthers(back, room);
				awaitRoster(dan, "data-owner=\"true\"");
			}
		}
	}

	/** The owner is a user: a dropped socket and a resume keep the powers, and the waiting list comes back. */
	@Test
	void theOwnersPowersSurviveAResume() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("owner-resumes", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient eve = this.calls.connect("eve")) {
			ResumeSupport.Joined o = ResumeSupport.join(new dev.confab.support.CallInbox(owner), room, List.of());
			owner.send("/app/owner/waiting-room", "{\"on\":true}");
			awaitRoster(owner, "data-waiting-room=\"true\"");
			eve.send("/app/room/" + room + "/join", "{}");
			eve.nextMatching(m -> isRtc(m, "waiting"), "waiting");
			knockOf(owner, "eve");
			owner.drop();
			try (StompTestClient back = this.calls.connect(olga)) {
				back.send("/app/resume", ResumeSupport.resume(o, true, java.util.Map.of()));
				back.nextMatching(m -> isRtc(m, "resumed"), "resumed");
				String eveKnock = knockOf(back, "eve");
				back.send("/app/owner/admit", "{\"knock\":\"" + eveKnock + "\"}");
				eve.nextMatching(m -> isRtc(m, "admitted"), "admitted");
				joinAfterOthers(eve, room);
			}
		}
	}

	static String topic(String room) {
		return "/topic/room." + room;
	}

	static ConfabUser user(String screenName) {
		return new ConfabUser(UUID.randomUUID(), screenName);
	}

	static boolean isRtc(Received message, String type) {
		return message.body().has("rtc") && type.equals(message.body().get("rtc").get("type").asString());
	}

	static boolean isKnockList(Received message) {
		return message.body().has("html") && html(message).contains("id=\"knocks\"");
	}

	/** The knock id of {@code name} from the owner's waiting list. */
	private static String knockOf(StompTestClient owner, String name) throws InterruptedException {
		String list = html(owner.nextMatching(m -> isKnockList(m) && html(m).contains(">" + name + "<"), name + " knocking"));
		Matcher knock = Pattern.compile("data-knock=\"([A-Za-z0-9_-]+)\"><span class=\"name\">" + name + "<").matcher(list);
		assertThat(knock.find()).as("knock of %s in %s", name, list).isTrue();
		return knock.group(1);
	}

	/** The first roster from now on (personal queue or the join's) containing {@code text}. */
	static String awaitRoster(StompTestClient client, String text) throws InterruptedException {
		return html(client.nextMatching(m -> m.body().has("html") && html(m).contains("id=\"roster\"")
				&& html(m).contains(text), "a roster with " + text));
	}

	/** The roster the join sequence gave this client (it does not follow the room topic). */
	private static String latestRoster(StompTestClient client, String room) throws InterruptedException {
		client.send("/app/room/" + room + "/roster", "{}");
		return html(client.nextMatching(m -> m.body().has("html") && html(m).contains("id=\"roster\""), "the roster"));
	}
}
