package dev.confab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10's media features in real Chromium (three fake cameras and microphones), judged by
 * what each page holds and shows, with the real app of this JVM (embedded mode):
 * <ol>
 * <li>ada, bob and cy in a call: each sender's camera has a {@code maxBitrate} per peer from the
 * mesh budget, within the upload budget in total.</li>
 * <li>Only ada's microphone on: the others highlight ada's tile as speaking and never a muted one;
 * then only bob's: the highlight follows him.</li>
 * <li>bob switches camera in the device picker: the same peer connections, no negotiation, the
 * new camera's track on every sender, and ada and cy keep decoding bob's video.</li>
 * <li>ada shares her screen: bob and cy get an extra tile "ada's screen" decoding frames, ada's
 * camera tile stays; ada stops, and the tile goes everywhere.</li>
 * <li>dan, who has no camera or microphone, joins to watch: the budget of every sender changes
 * (three peers); whatever dan's connections come to, no page blames TURN for it.</li>
 * <li>cy, sharing her screen, leaves: every track her page had is {@code ended}.</li>
 * </ol>
 */
public class MediaFeaturesBrowserTest extends AppInBrowsers {

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers().withFakeCameraFps(5).withFakeDevices(3);

	/** The documented upload budget of a sender, over all its peers (docs/architecture.md). */
	static final long UPLOAD_BUDGET_BPS = 2_500_000;

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(45);

	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

	/** Holds of the speaking highlight are about 3 s (1.5 polls): the old speaker's must have ended by then. */
	private static final Duration SPEAKER_TIMEOUT = Duration.ofSeconds(15);

	private static final String TURN_BLAME = "No TURN relay is configured, and a direct connection failed";

	@Override
	protected LoopbackBrowsers browsers() {
		return browsers;
	}

	@Test
	void screenShareDevicesSpeakerBudgetAndLeave() {
		long started = System.currentTimeMillis();
		BrowserCalls.RoomPages room = BrowserCalls.openRoom(browsers, this.base, "media", "ada", "bob", "cy");
		Browser ada = room.page("ada");
		Browser bob = room.page("bob");
		Browser cy = room.page("cy");
		List<Browser> three = room.pages();
		String roomUrl = room.url();
		Map<String, String> ids = new LinkedHashMap<>(BrowserCalls.joinInTurnAgreeing(three,
				BrowserCalls.server(this.db, this.base, ada, room.slug()), CALL_UP_TIMEOUT));
		BrowserCalls.awaitCallEverywhere(three, CALL_UP_TIMEOUT);
		System.out.println("[confab-e2e] media: ada, bob and cy in the call after "
				+ (System.currentTimeMillis() - started) + " ms: " + ids);

		Map<String, Long> budgetOfThree = budgetPerPeer(three, 2);
		callHealthShown(ada, List.of("bob", "cy"), ids);
		speakerFollowsTheSound(ada, bob, cy, ids);
		switchCamera(bob, List.of(ada, cy), ids);
		shareScreen(ada, List.of(bob, cy), ids);

		Browser dan = BrowserCalls.logIn(browsers.openWithoutMedia("dan"), this.base);
		dan.open(roomUrl).click("#join");
		ids.put("dan", BrowserCalls.awaitInCall(dan, null, CALL_UP_TIMEOUT).state().get("selfId").toString());
		Map<String, Long> budgetOfFour = budgetPerPeer(three, 3);
		for (Browser page : three) {
			assertThat(budgetOfFour.get(page.name())).as(page.name() + ": camera maxBitrate per peer with 3 peers vs 2")
				.isLessThan(budgetOfThree.get(page.name()));
		}
		watcherNotBlamedOnTurn(List.of(ada, bob, cy, dan), ids);

		leaveWhileSharing(cy);
	}

	/**
	 * Every page's camera sender toward each of its {@code peers} peers has a maxBitrate, the same on
	 * each (the links are equally good), and the page's audio and video senders together stay within
	 * the upload budget. Returns each page's per-peer camera maxBitrate.
	 */
	private static Map<String, Long> budgetPerPeer(List<Browser> pages, int peers) {
		Map<String, Long> perPeer = new LinkedHashMap<>();
		for (Browser page : pages) {
			Map<String, Object> seen = page.await("a camera and microphone maxBitrate on each of " + peers + " peers",
					STEP_TIMEOUT, () -> budgetState(page), state -> Boolean.TRUE.equals(state.get("ok"))
							&& MediaPages.number(state.get("peers")) == peers);
			long video = MediaPages.number(seen.get("video"));
			long total = MediaPages.number(seen.get("total"));
			System.out.println("[confab-e2e] media: " + page.name() + " budget with " + peers + " peers: " + seen);
			assertThat(total).as(page.name() + ": the sum of its senders' maxBitrate").isLessThanOrEqualTo(UPLOAD_BUDGET_BPS);
			perPeer.put(page.name(), video);
		}
		return perPeer;
	}

	/** Camera and microphone maxBitrate on each peer: ok when every peer has both, and the cameras' are equal. */
	private static Map<String, Object> budgetState(Browser page) {
		Map<String, Map<String, Object>> peers = MediaPages.senders(page);
		List<Long> videos = new ArrayList<>();
		long total = 0;
		boolean complete = !peers.isEmpty();
		for (Map<String, Object> peer : peers.values()) {
			List<Map<String, Object>> cameras = MediaPages.cameraOrMicSenders(peer, "video");
			List<Map<String, Object>> mics = MediaPages.cameraOrMicSenders(peer, "audio");
			if (cameras.size() != 1 || mics.size() != 1 || MediaPages.number(cameras.get(0).get("maxBitrate")) <= 0
					|| MediaPages.number(mics.get(0).get("maxBitrate")) <= 0) {
				complete = false;
				continue;
			}
			long video = MediaPages.number(cameras.get(0).get("maxBitrate"));
			videos.add(video);
			total += video + MediaPages.number(mics.get(0).get("maxBitrate"));
		}
		boolean equal = videos.stream().distinct().count() == 1;
		return Map.of("ok", complete && equal, "peers", peers.size(), "video", videos.isEmpty() ? -1 : videos.get(0),
				"total", total, "senders", peers);
	}

	/**
	 * {@code page} opens the call health panel: one row per link with its path and figures, an
	 * indicator with a plain-language tooltip on each remote tile, and the upload budget in words.
	 */
	private static void callHealthShown(Browser page, List<String> others, Map<String, String> ids) {
		page.click("#toggle-health");
		Map<String, Object> seen = page.awaitScript("the call health panel lists every link", STEP_TIMEOUT, """
				const [ids, names] = args;
				const panel = document.getElementById('health-panel');
				const rows = [...document.querySelectorAll('#health-links .health-link')].map(row => ({
				  id: row.dataset.participant, name: row.querySelector('.name').textContent.trim(),
				  level: row.dataset.level, figures: Object.fromEntries([...row.querySelectorAll('.health-figures > div')]
				    .map(d => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])) }));
				const dots = ids.map(id => {
				  const dot = document.querySelector('#tile-' + id + ' .link-health');
				  return dot ? { level: dot.dataset.level, title: dot.title } : null;
				});
				const budget = (document.getElementById('budget-text') || {}).textContent || '';
				const ok = !panel.hidden && rows.length === ids.length
				  && rows.every(r => ids.includes(r.id) && names.includes(r.name) && r.level !== 'unknown'
				    && r.figures['Path'] === 'direct' && /\\d ms/.test(r.figures['Round trip']))
				  && dots.every(d => d && d.level !== 'unknown' && d.title.includes('connection to'))
				  && budget.trim().length > 0;
				return { ok, rows, dots, budget, summary: document.getElementById('health-summary').textContent };
				""", others.stream().map(ids::get).toList(), others);
		System.out.println("[confab-e2e] media: " + page.name() + "'s call health: " + seen);
		page.click("#close-health");
	}

	/** Only one microphone on at a time: the others see that participant speaking, and nobody else. */
	private static void speakerFollowsTheSound(Browser ada, Browser bob, Browser cy, Map<String, String> ids) {
		bob.click("#toggle-mic");
		cy.click("#toggle-mic");
		String adaTile = "tile-" + ids.get("ada");
		String bobTile = "tile-" + ids.get("bob");
		for (Browser page : List.of(bob, cy)) {
			MediaPages.awaitSpeaking(page, List.of(adaTile), SPEAKER_TIMEOUT);
		}
		// Some seconds of beeps from ada and silence from the muted: only ada, ever.
		long until = System.currentTimeMillis() + 3000;
		while (System.currentTimeMillis() < until) {
			for (Browser page : List.of(bob, cy)) {
				assertThat(page.callForMap(MediaPages.SPEAKING).get("speaking")).as(page.name() + ": speaking tiles")
					.isEqualTo(List.of(adaTile));
			}
		}
		ada.click("#toggle-mic");
		bob.click("#toggle-mic");
		for (Browser page : List.of(ada, cy)) {
			MediaPages.awaitSpeaking(page, List.of(bobTile), SPEAKER_TIMEOUT);
		}
		System.out.println("[confab-e2e] media: the speaking highlight followed ada, then bob");
	}

	/** {@code who} picks its other camera: same connections, no negotiation, the others keep decoding. */
	@SuppressWarnings("unchecked")
	private static void switchCamera(Browser who, List<Browser> others, Map<String, String> ids) {
		Map<String, Object> before = who.callForMap(MediaPages.TAG_CONNECTIONS);
		Map<String, Object> chosen = who.callForMap("""
				const select = document.getElementById('camera-select');
				const track = window.confab.media.stream.getVideoTracks()[0];
				// fake_device_1 is a depth camera (Y16): WebRTC encodes none of its frames. fake_device_2 is MJPEG.
				const other = [...select.options].find(o => o.textContent === 'fake_device_2' && o.value !== select.value);
				if (!other) return { ok: false, options: [...select.options].map(o => o.textContent) };
				select.value = other.value;
				select.dispatchEvent(new Event('change', { bubbles: true }));
				return { ok: true, from: track.label, to: other.textContent, oldTrack: track.id };
				""");
		assertThat(chosen).as(who.name() + ": a second camera in the picker").containsEntry("ok", true);
		Map<String, Object> switched = who.awaitScript("the new camera on every sender", STEP_TIMEOUT, """
				const track = window.confab.media.stream.getVideoTracks()[0];
				const old = args[0];
				const senders = [...window.confab.mesh.peers.values()].map(p => p.pc.getSenders()
				  .find(s => s.track && s.track.kind === 'video' && !s.track.contentHint));
				return { ok: !!track && track.id !== old && track.readyState === 'live'
				    && senders.every(s => s && s.track === track),
				  label: track && track.label, senders: senders.map(s => s && s.track && s.track.label) };
				""", chosen.get("oldTrack"));
		Map<String, Object> after = who.callForMap(MediaPages.TAG_CONNECTIONS);
		for (Map.Entry<String, Object> entry : before.entrySet()) {
			Map<String, Object> was = (Map<String, Object>) entry.getValue();
			Map<String, Object> now = (Map<String, Object>) after.get(entry.getKey());
			assertThat(now).as(who.name() + ": connection to " + entry.getKey() + " after the switch").isNotNull();
			assertThat(now.get("tag")).as("the same RTCPeerConnection").isEqualTo(was.get("tag"));
			assertThat(now.get("sdpVersion")).as("no new offer or answer (SDP session version)").isEqualTo(was.get("sdpVersion"));
			assertThat(MediaPages.number(now.get("negotiations"))).as("negotiationneeded events").isZero();
			assertThat(now.get("state")).isEqualTo("connected");
		}
		String tile = "tile-" + ids.get(who.name());
		for (Browser page : others) {
			page.awaitScript(who.name() + "'s video decoding after the camera switch", STEP_TIMEOUT,
					MediaPages.FRAMES + """
							const seen = await decoding(document.querySelector('#' + args[0] + ' video'));
							const peer = window.confab.mesh.peers.get(args[1]);
							const stats = peer ? [...(await peer.pc.getStats()).values()]
							  .filter(r => r.type === 'inbound-rtp' && r.kind === 'video')
							  .map(r => ({ received: r.framesReceived, decoded: r.framesDecoded, dropped: r.framesDropped, w: r.frameWidth })) : null;
							return { ...seen, stats };
							""", tile, ids.get(who.name()));
		}
		System.out.println("[confab-e2e] media: " + who.name() + " switched from " + chosen.get("from") + " to "
				+ switched.get("label") + " on the same connections; the others kept decoding");
	}

	/** {@code sharer} shares and stops: the others' extra tile, decoding, then gone. */
	private static void shareScreen(Browser sharer, List<Browser> others, Map<String, String> ids) {
		String id = ids.get(sharer.name());
		long clicked = System.currentTimeMillis();
		sharer.click("#toggle-screen");
		sharer.awaitScript("sharing", STEP_TIMEOUT, """
				const button = document.getElementById('toggle-screen');
				return { ok: button.getAttribute('aria-pressed') === 'true' && window.confab.screen.sharing };
				""");
		for (Browser page : others) {
			Map<String, Object> seen = page.awaitScript(sharer.name() + "'s screen tile decoding frames", STEP_TIMEOUT,
					MediaPages.FRAMES + """
							const tile = document.getElementById('screen-' + args[0]);
							const camera = document.querySelector('#tile-' + args[0] + ' video');
							if (!tile) return { ok: false, tile: null };
							const name = (tile.querySelector('.name') || {}).textContent || '';
							const screen = await decoding(tile.querySelector('video'));
							const cam = await decoding(camera);
							return { ok: screen.ok && cam.ok && name.trim() === args[1] + "'s screen", name, screen, cam };
							""", id, sharer.name());
			System.out.println("[confab-e2e] media: " + page.name() + " decodes " + sharer.name() + "'s screen "
					+ (System.currentTimeMillis() - clicked) + " ms after the click: " + seen);
		}
		sharer.click("#toggle-screen");
		for (Browser page : others) {
			page.awaitScript(sharer.name() + "'s screen tile gone", STEP_TIMEOUT, """
					return { ok: !document.getElementById('screen-' + args[0])
					  && !!document.getElementById('tile-' + args[0]) };
					""", id);
		}
	}

	/**
	 * dan, with no camera or microphone, is in the call: wait until each of his links is either up
	 * or explained; the explanation must not be the TURN one (TURN was never the reason).
	 */
	private static void watcherNotBlamedOnTurn(List<Browser> pages, Map<String, String> ids) {
		for (Browser page : pages) {
			String about = page.name().equals("dan") ? null : ids.get("dan");
			Map<String, Object> seen = page.awaitScript("dan's links up or explained", Duration.ofSeconds(40), """
					const about = args[0];
					const out = {};
					for (const [id, peer] of window.confab.mesh.peers) {
					  if (about && id !== about) continue;
					  const tile = document.getElementById('tile-' + id);
					  const problem = tile && tile.querySelector('.problem');
					  out[id] = { state: peer.pc.connectionState, problem: problem ? problem.textContent.trim() : '' };
					}
					const links = Object.values(out);
					return { ok: links.length > 0 && links.every(l => l.state === 'connected' || l.problem), links: out };
					""", about);
			System.out.println("[confab-e2e] media: " + page.name() + " about dan's links: " + seen.get("links"));
			assertThat(String.valueOf(seen.get("links"))).as(page.name() + ": what its tiles say about dan's links")
				.doesNotContain(TURN_BLAME);
		}
	}

	/** {@code who} shares a screen, then leaves: every track the page had ends. */
	@SuppressWarnings("unchecked")
	private static void leaveWhileSharing(Browser who) {
		who.click("#toggle-screen");
		who.awaitScript("sharing before leaving", STEP_TIMEOUT, "return { ok: window.confab.screen.sharing };");
		List<Object> kept = (List<Object>) who.call(MediaPages.KEEP_LOCAL_TRACKS);
		who.click("#leave");
		Map<String, Object> ended = who.awaitScript("every track ended after Leave", STEP_TIMEOUT, MediaPages.KEPT_TRACKS);
		System.out.println("[confab-e2e] media: " + who.name() + " left; its " + kept.size() + " tracks: " + ended);
		assertThat(kept).as("tracks before leaving: camera, microphone and the screen").hasSizeGreaterThanOrEqualTo(3);
	}

}
