package dev.confab.support;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

import dev.confab.support.StompTestClient.Received;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one {@link StompTestClient} receives, kept apart by where it came from: the personal queue
 * ({@code /user/queue/events}: the join sequence, signals, leaves, resumes) in order, and the rosters of
 * the room topic ({@code /topic/room.<slug>}), which may arrive before or after the personal
 * messages of the same change (docs/protocol.md, "Room roster"). Keeps a history of both, so that a
 * test can say at the end that something never came.
 */
public final class CallInbox {

	public static final String EVENTS = "/user/queue/events";

	private final StompTestClient client;

	private final Deque<Received> pendingEvents = new ArrayDeque<>();

	private final Deque<RosterHtml> pendingRosters = new ArrayDeque<>();

	private final List<Received> eventHistory = new ArrayList<>();

	private final List<RosterHtml> rosterHistory = new ArrayList<>();

	public CallInbox(StompTestClient client) {
		this.client = client;
	}

	public StompTestClient client() {
		return this.client;
	}

	/** The next message on the personal queue, rosters of the topic kept aside; fails after the timeout. */
	public Received nextEvent(Duration timeout) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (this.pendingEvents.isEmpty()) {
			long left = end - System.nanoTime();
			if (left <= 0 || !pull(Duration.ofNanos(left))) {
				if (this.pendingEvents.isEmpty()) {
					throw new AssertionError("No message on " + EVENTS + " within " + timeout + " (client "
							+ this.client.describeState() + "); history: " + describe(this.eventHistory));
				}
			}
		}
		return this.pendingEvents.removeFirst();
	}

	public Received nextEvent() throws InterruptedException {
		return nextEvent(Duration.ofSeconds(10));
	}

	/** The next personal message, which must be the {@code rtc} event {@code type}. */
	public JsonNode nextRtc(String type) throws InterruptedException {
		return Events.rtc(nextEvent(), type);
	}

	public JsonNode nextRtc(String type, Duration timeout) throws InterruptedException {
		return Events.rtc(nextEvent(timeout), type);
	}

	/** Every personal message arriving within the window (after those already pulled). */
	public List<Received> events(Duration window) throws InterruptedException {
		long end = System.nanoTime() + window.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			pull(Duration.ofNanos(left));
		}
		List<Received> all = new ArrayList<>(this.pendingEvents);
		this.pendingEvents.clear();
		return all;
	}

	/**
	 * The first topic roster (already received or arriving within the timeout) that matches; rosters
	 * before it are consumed.
	 */
	public RosterHtml awaitRoster(Predicate<RosterHtml> wanted, String what, Duration timeout)
			throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (true) {
			while (!this.pendingRosters.isEmpty()) {
				RosterHtml roster = this.pendingRosters.removeFirst();
				if (wanted.test(roster)) {
					return roster;
				}
			}
			long left = end - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("No roster on the room topic with " + what + " within " + timeout + " (client "
						+ this.client.describeState() + "); rosters seen: " + this.rosterHistory);
			}
			pull(Duration.ofNanos(left));
		}
	}

	public RosterHtml awaitRoster(Predicate<RosterHtml> wanted, String what) throws InterruptedException {
		return awaitRoster(wanted, what, Duration.ofSeconds(10));
	}

	/** Every personal message this inbox took off the client so far, consumed or not. */
	public List<Received> eventHistory() {
		return List.copyOf(this.eventHistory);
	}

	/** Every topic roster so far, in arrival order. */
	public List<RosterHtml> rosterHistory() {
		return List.copyOf(this.rosterHistory);
	}

	/** The rtc types in the history (e.g. to say that no {@code disconnected} ever came). */
	public List<String> rtcTypesSeen() {
		List<String> types = new ArrayList<>();
		for (Received received : this.eventHistory) {
			JsonNode rtc = received.body().get("rtc");
			if (rtc != null && rtc.has("type")) {
				types.add(rtc.get("type").asString());
			}
		}
		return types;
	}

	/** Takes one message off the client within the timeout; false when none came. */
	private boolean pull(Duration timeout) throws InterruptedException {
		List<Received> got;
		try {
			got = List.of(this.client.next(timeout));
		}
		catch (AssertionError none) {
			return false;
		}
		for (Received received : got) {
			if (EVENTS.equals(received.destination())) {
				this.pendingEvents.addLast(received);
				this.eventHistory.add(received);
			}
			else {
				assertThat(received.destination()).as("a message that is neither personal nor a room's roster: %s",
						received.body()).startsWith("/topic/room.");
				RosterHtml roster = RosterHtml.of(Events.html(received));
				this.pendingRosters.addLast(roster);
				this.rosterHistory.add(roster);
			}
		}
		return true;
	}

	private static String describe(List<Received> messages) {
		List<String> shown = new ArrayList<>();
		for (Received received : messages) {
			JsonNode rtc = received.body().get("rtc");
			shown.add(rtc != null ? "rtc " + rtc.get("type") : String.join(",", received.body().propertyNames()));
		}
		return shown.toString();
	}
}
