package dev.confab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real three-party call: the real app on a random port of this JVM, three headless
 * Chromium browsers with fake cameras in a loopback-only network namespace.
 * <p>
 * What it relies on (docs/protocol.md and the UI's element ids):
 * <ul>
 * <li>{@code GET /login}: a form with {@code #screenName}, {@code #realName} and the submit
 * button {@code #login-submit}; success leaves {@code /login}.</li>
 * <li>the lobby {@code /}: {@code #room-name} and {@code #create-room-submit}; creating lands
 * on {@code /rooms/<slug>}.</li>
 * <li>the room page: {@code button#join} and {@code button#leave}; remote tiles are
 * {@code #tiles .tile.remote} with {@code id="tile-<participant id>"},
 * {@code data-participant="<participant id>"}, a {@code video} and the screen name in
 * {@code .name}.</li>
 * <li>{@code window.confab.mesh.peers}: a {@code Map} participant id → object whose
 * {@code .pc} is that peer's {@code RTCPeerConnection}.</li>
 * </ul>
 */
public class ThreeWayCallBrowserTest extends AppInBrowsers {

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers();

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(45);

	private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

	private static final String REMOTE_TILES = "#tiles .tile.remote";

	/**
	 * Page-side helpers, prepended to the scripts below: the call as this page sees it,
	 * sampled twice at least one second apart.
	 */
	public static final String CALL_STATE = """
			const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
			const mesh = window.confab && window.confab.mesh;
			const tileList = () => [...document.querySelectorAll('#tiles .tile.remote')];
			async function describe(pc, video) {
			  const stats = await pc.getStats();
			  let transport = null, inbound = null;
			  stats.forEach(r => {
			    if (r.type === 'transport' && r.selectedCandidatePairId) { transport = r; }
			    if (r.type === 'inbound-rtp' && r.kind === 'video'
			        && (!inbound || (r.framesDecoded || 0) > (inbound.framesDecoded || 0))) { inbound = r; }
			  });
			  const pair = transport ? stats.get(transport.selectedCandidatePairId) : null;
			  const local = pair ? stats.get(pair.localCandidateId) : null;
			  const remote = pair ? stats.get(pair.remoteCandidateId) : null;
			  return {
			    connectionState: pc.connectionState,
			    framesDecoded: inbound ? (inbound.framesDecoded || 0) : 0,
			    videoWidth: video ? video.videoWidth : -1,
			    pair: local && remote ? `${local.candidateType} ${local.address || local.ip}:${local.port}`
			      + ` <-> ${remote.candidateType} ${remote.address || remote.ip}:${remote.port}` : null
			  };
			}
			async function callState() {
			  const tiles = tileList().map(t => ({
			    id: t.dataset.participant || null,
			    domId: t.id,
			    name: ((t.querySelector('.name') || t.querySelector('figcaption') || {}).textContent || '').trim(),
			    video: t.querySelector('video')
			  }));
			  const out = { tiles: tiles.map(({ video, ...rest }) => rest), peerIds: [], peers: {} };
			  if (!mesh || !(mesh.peers instanceof Map)) {
			    out.problem = 'window.confab.mesh.peers is not a Map';
			    return { out, tiles };
			  }
			  out.peerIds = [...mesh.peers.keys()];
			  const first = {};
			  for (const [id, peer] of mesh.peers) {
			    const tile = tiles.find(t => t.id === id);
			    first[id] = peer && peer.pc ? await describe(peer.pc, tile ? tile.video : null) : null;
			  }
			  await sleep(1100);
			  for (const [id, peer] of mesh.peers) {
			    const tile = tiles.find(t => t.id === id);
			    const now = peer && peer.pc ? await describe(peer.pc, tile ? tile.video : null) : null;
			    out.peers[id] = now === null ? { problem: 'no .pc' }
			      : { ...now, framesBefore: first[id] ? first[id].framesDecoded : null };
			  }
			  return { out, tiles };
			}
			function healthy(p) {
			  return !!p && p.connectionState === 'connected' && p.framesBefore > 0
			    && p.framesDecoded > p.framesBefore && p.videoWidth > 0;
			}
			""";

	@Override
	protected LoopbackBrowsers browsers() {
		return browsers;
	}

	@Test
	void threePeopleSeeAndHearEachOtherAndOneLeaves() {
		BrowserCalls.RoomPages room = BrowserCalls.openRoom(browsers, this.base, "e2e", "ada", "bob", "cy");
		Browser ada = room.page("ada");
		Browser bob = room.page("bob");
		Browser cy = room.page("cy");

		// Join one after the other; each newcomer first sees a tile for everyone already there.
		List<Browser> joined = room.pages();
		for (int i = 0; i < joined.size(); i++) {
			Browser browser = joined.get(i);
			browser.click("button#join");
			int already = i;
			browser.await(already + " remote tile(s) after joining", CALL_UP_TIMEOUT,
					() -> browser.count(REMOTE_TILES), n -> n == already);
		}

		for (Browser browser : joined) {
			List<String> others = joined.stream().filter(b -> b != browser).map(Browser::name).toList();
			awaitCall(browser, others, CALL_UP_TIMEOUT);
		}

		String bobId = participantIdOf(ada, "bob");
		assertThat(participantIdOf(cy, "bob")).as("bob's participant id as cy sees it").isEqualTo(bobId);

		// bob turns microphone and camera off: the others see it on his tile (the features data channel).
		bob.click("#toggle-mic").click("#toggle-cam");
		for (Browser sees : List.of(ada, cy)) {
			sees.awaitScript("bob's tile shows microphone and camera off", LEAVE_TIMEOUT, """
					const tile = document.getElementById('tile-' + args[0]);
					return { ok: !!tile && tile.dataset.mic === 'off' && tile.dataset.cam === 'off',
					  mic: tile && tile.dataset.mic, cam: tile && tile.dataset.cam };
					""", bobId);
		}

		// bob leaves: ada and cy lose his tile and his peer, and keep each other.
		bob.click("button#leave");
		for (Browser stays : List.of(ada, cy)) {
			stays.awaitScript("bob's tile (#tile-" + bobId + ") and peer gone after bob left", LEAVE_TIMEOUT,
					CALL_STATE + """
							const gone = args[0];
							const tiles = tileList();
							const peerIds = mesh && mesh.peers instanceof Map ? [...mesh.peers.keys()] : null;
							const ok = !document.getElementById('tile-' + gone)
							  && !tiles.some(t => t.dataset.participant === gone)
							  && peerIds !== null && !peerIds.includes(gone) && tiles.length === 1;
							return { ok, tiles: tiles.map(t => t.id), peerIds };
							""", bobId);
		}
		awaitCall(ada, List.of("cy"), Duration.ofSeconds(15));
		awaitCall(cy, List.of("ada"), Duration.ofSeconds(15));
	}

	/**
	 * Waits until {@code browser} shows exactly one remote tile per name in {@code others}, has
	 * a connected peer for each, and each tile's video is decoding new frames.
	 */
	public static void awaitCall(Browser browser, List<String> others, Duration timeout) {
		Map<String, Object> state = browser.awaitScript(
				"exactly " + others.size() + " remote tiles " + others
						+ ", every peer connected, every tile's video decoding (framesDecoded growing, videoWidth > 0)",
				timeout, CALL_STATE + """
						const expected = args[0];
						const { out, tiles } = await callState();
						const names = tiles.map(t => t.name).sort();
						out.ok = !out.problem
						  && tiles.length === expected.length
						  && JSON.stringify(names) === JSON.stringify([...expected].sort())
						  && out.peerIds.length === expected.length
						  && tiles.every(t => t.id && out.peerIds.includes(t.id) && t.domId === 'tile-' + t.id)
						  && out.peerIds.every(id => healthy(out.peers[id]));
						return out;
						""", others);
		assertThat(state).containsEntry("ok", true);
	}

	/** The participant id of the tile whose name is {@code screenName}, as {@code browser} sees it. */
	private static String participantIdOf(Browser browser, String screenName) {
		Object id = browser.call("""
				const tile = [...document.querySelectorAll('#tiles .tile.remote')].find(t =>
				  ((t.querySelector('.name') || t.querySelector('figcaption') || {}).textContent || '').trim() === args[0]);
				return tile ? tile.dataset.participant : null;
				""", screenName);
		assertThat(id).as(browser.name() + ": participant id on the tile of " + screenName).isInstanceOf(String.class);
		return (String) id;
	}

}
