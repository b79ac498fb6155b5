package dev.confab.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a room page shows of its media, read in the page: senders and their encodings, decoded
 * frames of a tile's video, the speaking highlight, screen tiles, local tracks. The scripts run as
 * {@link Browser#call} bodies; each returns plain JSON.
 */
final class MediaPages {

	/** A video element's decoded frames now and 1 s later (the page's own counter, not a log line). */
	static final String FRAMES = """
			const frames = v => v && v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().totalVideoFrames : -1;
			async function decoding(video) {
			  if (!video) return { present: false };
			  const before = frames(video);
			  await new Promise(resolve => setTimeout(resolve, 1000));
			  const after = frames(video);
			  return { present: true, width: video.videoWidth, before, after, ok: video.videoWidth > 0 && after > before };
			}
			""";

	/** Every peer connection's senders with a track: kind, content hint and first encoding's limits. */
	static final String SENDERS = """
			const mesh = window.confab.mesh;
			const peers = {};
			for (const [id, peer] of mesh.peers) {
			  const senders = [];
			  for (const sender of peer.pc.getSenders()) {
			    if (!sender.track) continue;
			    const encoding = (sender.getParameters().encodings || [])[0] || {};
			    senders.push({ kind: sender.track.kind, hint: sender.track.contentHint || '', track: sender.track.id,
			      maxBitrate: encoding.maxBitrate ?? null, scale: encoding.scaleResolutionDownBy ?? null });
			  }
			  peers[id] = { state: peer.pc.connectionState, senders };
			}
			return { peers, count: mesh.peers.size };
			""";

	/**
	 * Tags every peer connection of the page (a property on the object) and counts its
	 * negotiationneeded events from now on; the SDP session version of its local description.
	 */
	static final String TAG_CONNECTIONS = """
			const out = {};
			for (const [id, peer] of window.confab.mesh.peers) {
			  const pc = peer.pc;
			  if (!pc.__confabTag) {
			    pc.__confabTag = id + ':' + Math.random().toString(36).slice(2);
			    pc.__confabNegotiations = 0;
			    pc.addEventListener('negotiationneeded', () => { pc.__confabNegotiations++; });
			  }
			  out[id] = { tag: pc.__confabTag, negotiations: pc.__confabNegotiations, state: pc.connectionState,
			    signaling: pc.signalingState, sdpVersion: sdpVersion(pc.localDescription) };
			}
			return out;
			function sdpVersion(description) {
			  const line = description && /^o=\\S+ \\S+ (\\d+)/m.exec(description.sdp || '');
			  return line ? line[1] : null;
			}
			""";

	/** Which tiles of the page are highlighted as speaking (their DOM ids). */
	static final String SPEAKING = """
			return { speaking: [...document.querySelectorAll('#tiles .tile[data-speaking="true"]')].map(t => t.id) };
			""";

	/** The page's own camera and microphone tracks and every sender's track, kept on window for later. */
	static final String KEEP_LOCAL_TRACKS = """
			const tracks = new Set();
			const stream = window.confab.media.stream;
			if (stream) stream.getTracks().forEach(t => tracks.add(t));
			for (const peer of window.confab.mesh.peers.values()) {
			  for (const sender of peer.pc.getSenders()) if (sender.track) tracks.add(sender.track);
			}
			window.__confabTracks = [...tracks];
			return window.__confabTracks.map(t => ({ kind: t.kind, label: t.label, state: t.readyState, hint: t.contentHint || '' }));
			""";

	/** The kept tracks' states now. */
	static final String KEPT_TRACKS = """
			const tracks = window.__confabTracks || [];
			const self = document.querySelector('#tile-self video');
			return { ok: tracks.length > 0 && tracks.every(t => t.readyState === 'ended'),
			  tracks: tracks.map(t => ({ kind: t.kind, label: t.label, state: t.readyState })),
			  selfVideo: self ? String(self.srcObject) : 'no self video', call: document.body.dataset.call };
			""";

	private MediaPages() {
	}

	/** The page's senders, as {@link #SENDERS} reads them. */
	@SuppressWarnings("unchecked")
	static Map<String, Map<String, Object>> senders(Browser page) {
		return (Map<String, Map<String, Object>>) page.callForMap(SENDERS).get("peers");
	}

	/** The senders of {@code peers} whose track is of {@code kind} and has no content hint (the camera, the microphone). */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> cameraOrMicSenders(Map<String, Object> peer, String kind) {
		return ((List<Map<String, Object>>) peer.get("senders")).stream()
			.filter(s -> kind.equals(s.get("kind")) && "".equals(s.get("hint")))
			.toList();
	}

	/** A number from a script's JSON, or -1. */
	static long number(Object value) {
		return value instanceof Number n ? n.longValue() : -1;
	}

	/** Waits until the page shows exactly {@code tileIds} as speaking; returns what it saw. */
	static Map<String, Object> awaitSpeaking(Browser page, List<String> tileIds, Duration timeout) {
		return page.await("speaking highlight on exactly " + tileIds, timeout, () -> page.callForMap(SPEAKING),
				state -> state.get("speaking") instanceof List<?> list && list.size() == tileIds.size()
						&& list.containsAll(tileIds));
	}

}
