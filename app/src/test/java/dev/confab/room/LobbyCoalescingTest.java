package dev.confab.room;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import dev.confab.call.CallChanged;
import dev.confab.call.CallDestinations;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of changes (a join storm) re-renders the lobby once or twice, not once per change, and
 * the list that goes out last shows the last change (issue 12).
 */
@ConfabServerTest
class LobbyCoalescingTest {

	private static final int CHANGES = 30;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TestCalls calls;

	@Test
	void thirtyChangesInABurstGoOutAsOneOrTwoListsWithTheLastOneShown() throws Exception {
		try (StompTestClient lobby = this.calls.connect("lobbyist")) {
			lobby.subscribe(CallDestinations.LOBBY_TOPIC);
			String room = this.calls.room("coalesced");
			lobby.drain(LobbyBroadcaster.COALESCE_WINDOW.multipliedBy(3));

			for (int i = 0; i < CHANGES; i++) {
				this.events.publishEvent(new CallChanged(room));
			}
			List<StompTestClient.Received> lists = lobby.drain(LobbyBroadcaster.COALESCE_WINDOW.multipliedBy(4));

			assertThat(lists).as("lobby lists after %s changes within a moment", CHANGES).hasSizeBetween(1, 2);
			assertThat(lists.get(lists.size() - 1).body().path("html").asString()).contains("coalesced");
		}
	}

	@Test
	void aSingleChangeIsShownWithinTheWindow() throws Exception {
		try (StompTestClient lobby = this.calls.connect("lobbyist2")) {
			lobby.subscribe(CallDestinations.LOBBY_TOPIC);
			lobby.drain(LobbyBroadcaster.COALESCE_WINDOW.multipliedBy(3));

			long start = System.nanoTime();
			this.events.publishEvent(new CallChanged("any"));
			StompTestClient.Received list = lobby.next(Duration.ofSeconds(5));

			assertThat(list.body().has("html")).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
	}
}
