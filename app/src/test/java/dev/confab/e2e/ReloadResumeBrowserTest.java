package dev.confab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.confab.e2e.CallMonitor.PeerReport;
import dev.confab.e2e.CallMonitor.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7: "a reload of one participant puts it back in the call within 3 s without a click; the
 * others keep its tile". Three headless Chromium browsers in a call with the real app of this
 * JVM (embedded mode); bob reloads his page (F5). He is back in the call, as the same participant,
 * within 3 s of the reload, measured inside his page, without any click; ada and cy keep his tile
 * element all along (never removed or replaced, same participant id) and keep their own peer
 * connection to each other; everybody's call heals (every peer connected and decoding);
 * before and after, every roster, the tiles, the lobby count and the server's presence agree.
 */
public class ReloadResumeBrowserTest extends AppInBrowsers {

	/**
	 * Five frames a second: three browsers encode and decode each other's video on the same two cores
	 * as the server, and a reload is timed here, not the media (at 10 fps the page of the reload took
	 * 1.3 to 2.4 s to its DOMContentLoaded in CI, most of it waiting for CPU; real participants each
	 * have their own machine).
	 */
	static final int CAMERA_FPS = 5;

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers().withFakeCameraFps(CAMERA_FPS);

	/** The bound for a reload. */
	private static final Duration BACK_WITHIN = Duration.ofSeconds(3);

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(45);

	private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration AGREE_TIMEOUT = Duration.ofSeconds(15);

	/**
	 * ada's and cy's Chromium run at this nice level while bob reloads: on two cores their video
	 * took the CPU bob's page load and the server needed (a CI machine half as fast as this one
	 * saw 4 s where this one sees 1 s); real participants' browsers run on machines of their own.
	 * The server (this JVM) and bob's browser keep the default priority.
	 */
	private static final int OTHERS_NICENESS = 10;

	/** How long cy stops sending video to ada, to check that the monitor sees a stall. */
	private static final Duration PAUSE = Duration.ofMillis(1_500);

	@Override
	protected LoopbackBrowsers browsers() {
		return browsers;
	}

	@Test
	void aReloadedParticipantIsBackWithinThreeSecondsUnderTheSameTile() {
		BrowserCalls.RoomPages room = BrowserCalls.openRoom(browsers, this.base, "reload", "ada", "bob", "cy");
		List<Browser> everyone = room.pages();
		Browser ada = room.page("ada");
		Browser bob = room.page("bob");
		Browser cy = room.page("cy");
		String slug = room.slug();
		CallViews.Server server = BrowserCalls.server(this.db, this.base, ada, slug);
		Map<String, String> ids = BrowserCalls.joinInTurnAgreeing(everyone, server, CALL_UP_TIMEOUT);
		BrowserCalls.awaitCallEverywhere(everyone, CALL_UP_TIMEOUT);
		CallViews.awaitAgreement("call up", everyone, ids, server, AGREE_TIMEOUT);
		String bobId = ids.get("bob");

		CallMonitor.install(ada);
		CallMonitor.install(cy);
		// A short baseline: the stalls this machine causes by itself, before the reload.
		CallMonitor.awaitSamples(ada, 20, Duration.ofSeconds(20));
		CallMonitor.awaitSamples(cy, 20, Duration.ofSeconds(20));
		SchedulingLag lag = SchedulingLag.start();
		monitorSeesAPausedVideo(ada, cy, ids.get("ada"), ids.get("cy"));
		browsers.lowerPriority(ada, OTHERS_NICENESS);
		browsers.lowerPriority(cy, OTHERS_NICENESS);
		CallMonitor.markAll(List.of(ada, cy), "reload");
		long versionBefore = CallViews.highestRosterVersion(everyone);
		long reloadAt = System.currentTimeMillis();
		BrowserCalls.Reloaded reloaded = BrowserCalls.reload(bob, bobId, Duration.ofSeconds(15));
		long backAfter = reloaded.backAfterMs();
		System.out.println("[confab-e2e] bob reloaded: " + reloaded);

		BrowserCalls.awaitCallEverywhere(everyone, HEAL_TIMEOUT);
		long healedAfter = System.currentTimeMillis() - reloadAt;
		CallViews.awaitAgreement("after bob reloaded", everyone, ids, server, versionBefore, AGREE_TIMEOUT);

		List<String> problems = new ArrayList<>();
		for (Browser stays : List.of(ada, cy)) {
			Report report = CallMonitor.read(stays, true);
			System.out.println("[confab-e2e] " + report.summary());
			String otherId = ids.get(stays == ada ? "cy" : "ada");
			// Bob's tile and participant id stay; his peer connection is new (his page is).
			report.checkSameTile(bobId, problems);
			report.checkTilesKept(problems);
			report.checkOnly(List.of(bobId, otherId), problems);
			report.checkOwnIdKept(problems);
			report.checkRosterAlwaysComplete(problems);
			report.checkNeverOutOfTheCall(problems);
			// The call between the two who stayed goes on: the same peer connection and tile throughout.
			// (Its stalls are printed, not bounded: the issue bounds stalls through outages, not a
			// neighbour's page load, which on two cores takes CPU from everyone.)
			report.checkMedia(List.of(otherId), Long.MAX_VALUE, problems);
			PeerReport bobSeen = report.peers().get(bobId);
			System.out.println("[confab-e2e] " + stays.name() + " sees bob's video again after "
					+ (bobSeen == null ? "?" : bobSeen.firstFrameAfterReplaceMs()) + " ms (from the new peer connection)");
		}
		lag.close();
		System.out.println("[confab-e2e] every call healed " + healedAfter + " ms after bob's reload; " + lag);
		assertThat(backAfter).as("ms from bob's reload until his page is in the call again as %s, without a click (%s; %s)",
				bobId, reloaded, lag)
			.isLessThanOrEqualTo(BACK_WITHIN.toMillis());
		CallMonitor.failOn("while bob reloaded", problems);
	}

	/**
	 * The monitor's stall measure can fail: cy stops sending video to ada for {@link #PAUSE}, and
	 * ada's monitor must report a stall of about that length (the bounds below are loose on
	 * purpose: two cores, three browsers).
	 */
	private static void monitorSeesAPausedVideo(Browser ada, Browser cy, String adaId, String cyId) {
		CallMonitor.mark(ada, "cy paused");
		cy.call(PAUSE_VIDEO_TO, adaId, PAUSE.toMillis());
		Waits.until("cy's video to ada resumed", Duration.ofSeconds(10),
				() -> cy.call("return window.__confabPauseDone === true;"), Boolean.TRUE::equals);
		Object stall = Waits.until("ada's monitor sees cy's video again after the pause", Duration.ofSeconds(10),
				() -> CallMonitor.read(ada, false).peers().get(cyId).worstByPhase().get("cy paused"),
				ms -> ms instanceof Number n && n.longValue() >= PAUSE.toMillis() * 8 / 10);
		System.out.println("[confab-e2e] a " + PAUSE.toMillis() + " ms pause of cy's video reads as a stall of " + stall
				+ " ms on ada's page");
		assertThat(((Number) stall).longValue()).as("stall ada's monitor measured for a %s pause", PAUSE)
			.isLessThan(PAUSE.toMillis() + 2_000);
	}

	/** On cy's page: no video to the given peer for the given ms, then the camera track again. */
	private static final String PAUSE_VIDEO_TO = """
			const [peerId, ms] = args;
			const pc = window.confab.mesh.peers.get(peerId).pc;
			const senders = pc.getSenders().filter(s => s.track && s.track.kind === 'video');
			const tracks = senders.map(s => s.track);
			window.__confabPauseDone = false;
			await Promise.all(senders.map(s => s.replaceTrack(null)));
			setTimeout(async () => {
			  await Promise.all(senders.map((s, i) => s.replaceTrack(tracks[i])));
			  window.__confabPauseDone = true;
			}, ms);
			return senders.length;
			""";

}
