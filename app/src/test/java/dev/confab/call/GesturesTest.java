package dev.confab.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.confab.identity.ConfabUser;
import dev.confab.support.CallInbox;
import dev.confab.support.StompTestClient;
import dev.confab.support.StompTestClient.Received;

import static dev.confab.call.RoomControlTest.awaitRoster;
import static dev.confab.call.RoomControlTest.isRtc;
import static dev.confab.call.RoomControlTest.topic;
import static dev.confab.call.RoomControlTest.user;
import static dev.confab.support.Events.html;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raised hands (in presence: in order, kept over a resume, seen by late joiners, lowered by the
 * owner) and reactions (to everyone in the call, only known keys, rate-limited). Both broker modes.
 */
@dev.confab.support.ConfabServerTest
@TestPropertySource(properties = { "confab.call.reactions-per-minute=3", "confab.call.resume-grace=5s" })
class GesturesTest extends ResumeSupport {

	private static final Pattern HAND = Pattern.compile("data-participant=\"([A-Za-z0-9_-]+)\"[^>]*?data-hand=\"(\\d+)\"");

	@Test
	void handsShowInTheOrderTheyWentUpAndTheOwnerCanLowerAny() throws Exception {
		ConfabUser olga = user("olga");
		String room = this.calls.room("hands", olga);
		try (StompTestClient owner = this.calls.connect(olga); StompTestClient bob = this.calls.connect("bob");
				StompTestClient cy = this.calls.connect("cy")) {
			CallInbox ownerInbox = new CallInbox(owner);
			Joined o = join(ownerInbox, room, List.of());
			Joined b = join(new CallInbox(bob), room, List.of(o.id()));
			Joined c = join(new CallInbox(cy), room, List.of(o.id(), b.id()));

			cy.send("/app/hand", "{\"raised\":true}");
			assertThat(hands(awaitRoster(owner, "data-hand=\"1\""))).isEqualTo(Map.of(c.id(), 1));
			bob.send("/app/hand", "{\"raised\":true}");
			assertThat(hands(awaitRoster(owner, "data-hand=\"2\""))).isEqualTo(Map.of(c.id(), 1, b.id(), 2));
			// Raising again keeps the place.
			cy.send("/app/hand", "{\"raised\":true}");
			bob.send("/app/hand", "{\"raised\":false}");
			assertThat(hands(awaitRoster(owner, "title=\"Raised hand, number 1\""))).isEqualTo(Map.of(c.id(), 1));

			owner.send("/app/owner/lower-hand", "{\"id\":\"" + c.id() + "\"}");
			String lowered = awaitRoster(owner, "data-participant=\"" + c.id() + "\"");
			assertThat(hands(lowered)).isEmpty();
			bob.send("/app/owner/lower-hand", "{\"id\":\"" + o.id() + "\"}");
			assertThat(bob.awaitError()).isEqualTo("Only the room's owner can do that.");
		}
	}

	@Test
	void aRaisedHandOutlivesAResumeAndLateJoinersSeeIt() throws Exception {
		String room = this.calls.room("hand-resume");
		String bobCookie = this.calls.cookieFor("bob");
		try (StompTestClient alice = this.calls.connect("alice");
				StompTestClient bob = StompTestClient.connect(this.calls.port(), bobCookie)) {
			Joined a = join(new CallInbox(alice), room, List.of());
			Joined b = join(new CallInbox(bob), room, List.of(a.id()));
			bob.send("/app/hand", "{\"raised\":true}");
			awaitRoster(alice, "data-hand=\"1\"");
			bob.drop();
			awaitAway(b.id(), true);
			try (StompTestClient bobAgain = StompTestClient.connect(this.calls.port(), bobCookie)) {
				bobAgain.send("/app/resume", resume(b, true, Map.of()));
				String roster = html(bobAgain.nextMatching(m -> m.body().has("html") && html(m).contains("id=\"roster\""),
						"bob's roster after the resume"));
				assertThat(hands(roster)).isEqualTo(Map.of(b.id(), 1));
				bobAgain.nextMatching(m -> isRtc(m, "resumed"), "resumed");
				try (StompTestClient cy = this.calls.connect("cy")) {
					cy.send("/app/room/" + room + "/join", "{}");
					String first = html(cy.nextMatching(m -> m.body().has("html"), "cy's first roster"));
					assertThat(hands(first)).isEqualTo(Map.of(b.id(), 1));
				}
			}
		}
	}

	@Test
	void aHandFromASessionInNoCallIsRefused() throws Exception {
		try (StompTestClient outsider = this.calls.connect("oz")) {
			outsider.send("/app/hand", "{\"raised\":true}");
			assertThat(outsider.awaitError()).isEqualTo("Join a call before raising your hand.");
		}
	}

	@Test
	void reactionsReachEveryoneInTheCallUpToTheRate() throws Exception {
		String room = this.calls.room("reactions");
		String elsewhere = this.calls.room("reactions-elsewhere");
		try (StompTestClient alice = this.calls.connect("alice"); StompTestClient bob = this.calls.connect("bob");
				StompTestClient other = this.calls.connect("other"); StompTestClient follower = this.calls.connect("f")) {
			Joined a = join(new CallInbox(alice), room, List.of());
			join(new CallInbox(bob), room, List.of(a.id()));
			join(new CallInbox(other), elsewhere, List.of());
			follower.subscribe(topic(room));
			for (int i = 0; i < 5; i++) {
				alice.send("/app/reaction", "{\"emoji\":\"tada\"}");
			}
			for (StompTestClient inCall : List.of(alice, bob)) {
				List<Received> got = inCall.drain(Duration.ofSeconds(2)).stream().filter(m -> isRtc(m, "reaction")).toList();
				assertThat(got).as("reactions at a rate of 3 a minute").hasSize(3);
				assertThat(got.get(0).body().get("rtc").get("from").asString()).isEqualTo(a.id());
				assertThat(got.get(0).body().get("rtc").get("emoji").asString()).isEqualTo("tada");
			}
			assertThat(other.drain(Duration.ofMillis(300))).noneMatch(m -> isRtc(m, "reaction"));
			assertThat(follower.drain(Duration.ofMillis(300))).noneMatch(m -> isRtc(m, "reaction"));
			bob.send("/app/reaction", "{\"emoji\":\"<img src=x>\"}");
			assertThat(bob.awaitError()).isEqualTo("Unknown reaction.");
		}
	}

	/** Participant id to hand number, from a roster fragment. */
	static Map<String, Integer> hands(String roster) {
		Map<String, Integer> hands = new java.util.LinkedHashMap<>();
		Matcher hand = HAND.matcher(roster.substring(roster.indexOf("<ul")));
		while (hand.find()) {
			hands.put(hand.group(1), Integer.parseInt(hand.group(2)));
		}
		return hands;
	}
}
