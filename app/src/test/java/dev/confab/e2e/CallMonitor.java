package dev.confab.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches a call from inside one page, continuously, for as long as the page lives: installed
 * with {@link #install} once the call is up, read with {@link #read} at the end.
 * <p>
 * In the page, every {@value #PERIOD_MS} ms, for every entry of {@code window.confab.mesh.peers}
 * (participant id → peer with {@code .pc}), it reads the highest {@code framesDecoded} of the
 * peer connection's {@code inbound-rtp} video reports and keeps, per participant id, the worst
 * stall the samples prove: from a sample that saw the count grow to the last one after it that
 * saw no growth, plus at most one period, timed by the reports' own timestamps. (A page starved of
 * CPU samples late while the decoder keeps going; the gap between two growing samples is then the
 * machine's, which {@code maxTickGapMs} reports, not the call's.) A different {@code .pc} (or peer object) for an id starts a new
 * baseline and is counted as a replacement, with the time to the new connection's first frame; an
 * id missing from the map is counted too. A MutationObserver records every remote tile
 * ({@code .tile.remote}) removed from or added to the document, and the changes of
 * {@code body[data-signaling]}, {@code body[data-call]} and the {@code #call-status} text; the tile
 * element of each participant at install time is kept to tell whether it is the same element at
 * the end. Each sample also checks the roster ({@code #roster li[data-participant]}): its smallest
 * size, and any moment it listed someone who has no tile.
 */
public final class CallMonitor {

	/** Sampling period of the page-side monitor. */
	public static final int PERIOD_MS = 100;

	/** The bound: the decoded frame count of a remote video never stalls longer than this. */
	public static final long MAX_STALL_MS = 1000;

	private static final String INSTALL = """
			const period = args[0];
			if (window.__confabMonitor) { return 'already installed'; }
			const mesh = window.confab && window.confab.mesh;
			if (!mesh || !(mesh.peers instanceof Map)) { throw new Error('window.confab.mesh.peers is not a Map'); }
			const now = () => Date.now();
			const remoteTiles = () => [...document.querySelectorAll('#tiles .tile.remote')];
			const m = {
			  installedAt: now(), period, phase: 'start', phases: [{ v: 'start', at: now() }],
			  ticks: 0, lastTickAt: null, lastTickGapMs: 0, maxTickGapMs: 0, busySkips: 0, longGaps: [],
			  selfIdAtInstall: mesh.selfId, selfIdChanges: [],
			  peers: {}, removedTiles: [], addedTiles: [],
			  signaling: [{ v: document.body.dataset.signaling || null, at: now() }],
			  call: [{ v: document.body.dataset.call || null, at: now() }],
			  status: [], rosterMin: null, rosterMax: null, rosterShort: [], rosterStranger: [], errors: []
			};
			const tileAtInstall = new Map();
			remoteTiles().forEach(t => tileAtInstall.set(t.dataset.participant, t));
			m.tilesAtInstall = [...tileAtInstall.keys()];
			m.peersAtInstall = [...mesh.peers.keys()];
			const statusText = () => {
			  const s = document.getElementById('call-status');
			  return s ? s.textContent.trim() : null;
			};
			let lastStatus = statusText();
			m.status.push({ v: lastStatus, signaling: document.body.dataset.signaling || null, at: now() });
			const noteStatus = () => {
			  const text = statusText();
			  if (text !== lastStatus) {
			    lastStatus = text;
			    m.status.push({ v: text, signaling: document.body.dataset.signaling || null, at: now() });
			    if (m.status.length > 200) { m.status.splice(1, 1); }
			  }
			};
			const tilesIn = node => node.nodeType !== 1 ? []
			  : (node.matches('.tile.remote') ? [node] : [...node.querySelectorAll('.tile.remote')]);
			const observer = new MutationObserver(records => {
			  for (const r of records) {
			    if (r.type === 'childList') {
			      r.removedNodes.forEach(n => tilesIn(n).forEach(t =>
			        m.removedTiles.push({ id: t.dataset.participant || null, domId: t.id, at: now() })));
			      r.addedNodes.forEach(n => tilesIn(n).forEach(t =>
			        m.addedTiles.push({ id: t.dataset.participant || null, domId: t.id, at: now() })));
			    } else if (r.type === 'attributes' && r.target === document.body) {
			      const timeline = r.attributeName === 'data-signaling' ? m.signaling : m.call;
			      const value = (r.attributeName === 'data-signaling' ? document.body.dataset.signaling
			        : document.body.dataset.call) || null;
			      if (timeline[timeline.length - 1].v !== value) { timeline.push({ v: value, at: now() }); }
			    }
			  }
			  noteStatus();
			});
			observer.observe(document.body, { childList: true, subtree: true, characterData: true,
			  attributes: true, attributeFilter: ['data-signaling', 'data-call'] });
			// A stall is what the samples prove: from the last growth to the last sample that saw none,
			// plus at most one period. A page the machine starves of CPU samples seconds apart while
			// frames keep being decoded; that gap is the machine's, not the call's (maxTickGapMs shows it).
			const provenStall = (p, seenAt) => {
			  const flatUntil = p.lastFlatAt === null ? p.lastIncreaseAt : p.lastFlatAt;
			  return Math.round(flatUntil - p.lastIncreaseAt + Math.min(period, seenAt - flatUntil));
			};
			window.__confabProvenStall = provenStall;
			const pcs = new Map();
			const peerObjects = new Map();
			let busy = false;
			async function tick() {
			  if (busy) { m.busySkips++; return; }
			  busy = true;
			  try {
			    const started = now();
			    if (m.lastTickAt !== null) {
			      m.lastTickGapMs = started - m.lastTickAt;
			      m.maxTickGapMs = Math.max(m.maxTickGapMs, m.lastTickGapMs);
			    }
			    m.lastTickAt = started;
			    m.ticks++;
			    if (mesh.selfId !== m.selfIdAtInstall
			        && (m.selfIdChanges.length === 0 || m.selfIdChanges[m.selfIdChanges.length - 1].v !== mesh.selfId)) {
			      m.selfIdChanges.push({ v: mesh.selfId, at: started });
			    }
			    const roster = [...document.querySelectorAll('#roster li[data-participant]')].map(li => li.dataset.participant);
			    const tileIds = remoteTiles().map(t => t.dataset.participant);
			    m.rosterMin = m.rosterMin === null ? roster.length : Math.min(m.rosterMin, roster.length);
			    m.rosterMax = m.rosterMax === null ? roster.length : Math.max(m.rosterMax, roster.length);
			    if (roster.length < m.tilesAtInstall.length + 1 && m.rosterShort.length < 20) {
			      m.rosterShort.push({ at: started, roster, tiles: tileIds,
			        version: (document.getElementById('roster') || { dataset: {} }).dataset.version || null });
			    }
			    const strangers = roster.filter(id => id !== mesh.selfId && !tileIds.includes(id));
			    if (strangers.length && m.rosterStranger.length < 20) {
			      m.rosterStranger.push({ at: started, strangers, roster, tiles: tileIds });
			    }
			    const present = new Set();
			    for (const [id, peer] of [...mesh.peers]) {
			      present.add(id);
			      let p = m.peers[id];
			      if (!p) {
			        p = m.peers[id] = { id, initial: m.peersAtInstall.includes(id), firstSeenAt: started, samples: 0,
			          frames: null, lastIncreaseAt: null, lastFlatAt: null, worstStallMs: 0, worstStallEndedAt: null,
			          pcReplaced: 0, peerReplaced: 0, noPc: 0, noVideoReport: 0, counterWentBack: 0,
			          missingTicks: 0, missingSince: null, awaitingFirstFrameSince: null, firstFrameAfterReplaceMs: [],
			          states: [], freezeCount: null, totalFreezesDuration: null, worstByPhase: {} };
			      }
			      if (p.missingSince !== null) { p.missingSince = null; }
			      if (peerObjects.has(id) && peerObjects.get(id) !== peer) { p.peerReplaced++; }
			      peerObjects.set(id, peer);
			      const pc = peer && peer.pc;
			      if (!pc) { p.noPc++; continue; }
			      let fresh = false;
			      if (pcs.get(id) !== pc) {
			        if (pcs.has(id)) { p.pcReplaced++; p.awaitingFirstFrameSince = started; }
			        pcs.set(id, pc);
			        fresh = true;
			      }
			      // Only the video receivers' stats: much cheaper than the whole connection's.
			      const receivers = pc.getReceivers().filter(r => r.track && r.track.kind === 'video');
			      const reports = receivers.length ? await Promise.all(receivers.map(r => r.getStats())) : [await pc.getStats()];
			      const at = now();
			      let frames = null, report = null;
			      reports.forEach(stats => stats.forEach(r => {
			        if (r.type === 'inbound-rtp' && r.kind === 'video' && (frames === null || (r.framesDecoded || 0) > frames)) {
			          frames = r.framesDecoded || 0;
			          report = r;
			        }
			      }));
			      p.samples++;
			      const state = pc.connectionState;
			      if (p.states.length === 0 || p.states[p.states.length - 1].v !== state) {
			        p.states.push({ v: state, at });
			        if (p.states.length > 40) { p.states.splice(1, 1); }
			      }
			      if (report) {
			        if (report.freezeCount !== undefined) { p.freezeCount = report.freezeCount; }
			        if (report.totalFreezesDuration !== undefined) { p.totalFreezesDuration = report.totalFreezesDuration; }
			      }
			      // When the stats were taken: a starved page samples late, and its lateness is not a stall.
			      const seenAt = report && report.timestamp ? report.timestamp : at;
			      if (frames === null) { p.noVideoReport++; frames = 0; }
			      if (p.firstFrames === undefined) { p.firstFrames = frames; p.firstSampleAt = at; }
			      p.framesDecoded = frames;
			      p.lastSampleAt = at;
			      if (fresh) {
			        p.frames = frames;
			        p.lastIncreaseAt = frames > 0 && p.awaitingFirstFrameSince === null ? seenAt : null;
			        p.lastFlatAt = null;
			        continue;
			      }
			      if (frames > p.frames) {
			        if (p.lastIncreaseAt !== null) {
			          const gap = provenStall(p, seenAt);
			          if (gap > p.worstStallMs) { p.worstStallMs = gap; p.worstStallEndedAt = at; }
			          if (gap > (p.worstByPhase[m.phase] || 0)) { p.worstByPhase[m.phase] = gap; }
			          if (gap >= 500 && m.longGaps.length < 40) {
			            m.longGaps.push({ id, gapMs: gap, sampledGapMs: Math.round(seenAt - p.lastIncreaseAt), endedAt: at,
								  phase: m.phase, tickGapMs: m.lastTickGapMs });
			          }
			        } else if (p.awaitingFirstFrameSince !== null) {
			          p.firstFrameAfterReplaceMs.push(at - p.awaitingFirstFrameSince);
			          p.awaitingFirstFrameSince = null;
			        }
			        p.lastIncreaseAt = seenAt;
			        p.lastFlatAt = null;
			        p.frames = frames;
			      } else if (frames < p.frames) {
			        p.counterWentBack++;
			        p.frames = frames;
			        p.lastFlatAt = null;
			      } else if (p.lastIncreaseAt !== null) {
			        p.lastFlatAt = seenAt;
			      }
			    }
			    for (const id of Object.keys(m.peers)) {
			      if (!present.has(id)) {
			        const p = m.peers[id];
			        p.missingTicks++;
			        if (p.missingSince === null) { p.missingSince = started; }
			      }
			    }
			  } catch (e) {
			    if (m.errors.length < 20) { m.errors.push(String(e && e.stack || e)); }
			  } finally {
			    busy = false;
			  }
			}
			m.timer = setInterval(tick, period);
			window.__confabMonitor = m;
			window.__confabMonitorTiles = tileAtInstall;
			await tick();
			return 'installed';
			""";

	private static final String READ = """
			const m = window.__confabMonitor;
			if (!m) { return null; }
			if (args[0] && !m.stoppedAt) {
			  clearInterval(m.timer);
			  m.stoppedAt = Date.now();
			}
			// A stopped monitor reports as of its stop: no stall is "ongoing" after that.
			const at = m.stoppedAt || Date.now();
			const out = JSON.parse(JSON.stringify({ ...m, timer: undefined }));
			out.readAt = at;
			out.durationMs = at - m.installedAt;
			out.sinceLastTickMs = m.lastTickAt === null ? null : at - m.lastTickAt;
			for (const p of Object.values(out.peers)) {
			  // A stall still going on when the monitor is read counts as well.
			  p.ongoingStallMs = p.lastIncreaseAt === null || p.lastFlatAt === null ? null
			    : window.__confabProvenStall(p, p.lastFlatAt + m.period);
			  if (p.ongoingStallMs !== null && p.ongoingStallMs > p.worstStallMs) {
			    p.worstStallMs = p.ongoingStallMs;
			    p.worstStallEndedAt = at;
			  }
			  if (p.ongoingStallMs !== null && p.ongoingStallMs > (p.worstByPhase[m.phase] || 0)) {
			    p.worstByPhase[m.phase] = p.ongoingStallMs;
			  }
			}
			const tiles = window.__confabMonitorTiles || new Map();
			out.tileIdentity = {};
			for (const [id, element] of tiles) {
			  const now = document.getElementById('tile-' + id);
			  out.tileIdentity[id] = !element.isConnected ? 'removed' : (now === element ? 'same' : 'replaced');
			}
			out.duplicateTiles = {};
			document.querySelectorAll('#tiles .tile.remote').forEach(t => {
			  const id = t.dataset.participant;
			  out.duplicateTiles[id] = (out.duplicateTiles[id] || 0) + 1;
			});
			for (const id of Object.keys(out.duplicateTiles)) {
			  if (out.duplicateTiles[id] < 2) { delete out.duplicateTiles[id]; }
			}
			return out;
			""";

	private CallMonitor() {
	}

	/** Installs the monitor in {@code browser}'s page (once per page; a reload needs a new one). */
	public static void install(Browser browser) {
		Object result = browser.call(INSTALL, PERIOD_MS);
		if (!"installed".equals(result)) {
			throw new AssertionError(browser.name() + ": call monitor not installed: " + result);
		}
	}

	private static final String MARK = """
			const m = window.__confabMonitor;
			if (!m) { return false; }
			m.phase = args[0];
			m.phases.push({ v: args[0], at: Date.now() });
			return true;
			""";

	/**
	 * Starts a new phase (e.g. "SIGTERM a") in {@code browser}'s monitor: from now on stalls are also
	 * kept per phase, so a report can tell the stalls of an outage from those of a loaded machine.
	 */
	public static void mark(Browser browser, String phase) {
		if (!Boolean.TRUE.equals(browser.call(MARK, phase))) {
			throw new AssertionError(browser.name() + ": no call monitor in this page to mark " + phase);
		}
	}

	/**
	 * Waits until {@code browser}'s monitor has sampled every peer at least {@code samples} times, so
	 * that the phase before an outage is a real baseline of this machine.
	 */
	public static void awaitSamples(Browser browser, int samples, Duration timeout) {
		browser.awaitScript("call monitor sampled every peer " + samples + " times", timeout, """
				const m = window.__confabMonitor;
				const counts = m ? Object.values(m.peers).map(p => p.samples) : [];
				return { ok: !!m && counts.length > 0 && counts.every(n => n >= args[0]), counts, ticks: m && m.ticks };
				""", samples);
	}

	/** {@link #mark} on every browser. */
	public static void markAll(Collection<Browser> browsers, String phase) {
		browsers.forEach(browser -> mark(browser, phase));
	}

	/** What the monitor saw so far; it keeps running. */
	public static Report read(Browser browser) {
		return read(browser, false);
	}

	/** What the monitor saw; with {@code stop} it stops sampling. */
	@SuppressWarnings("unchecked")
	public static Report read(Browser browser, boolean stop) {
		Object value = browser.call(READ, stop);
		if (!(value instanceof Map)) {
			throw new AssertionError(browser.name() + ": no call monitor in this page (reloaded, or never installed)");
		}
		return new Report(browser.name(), (Map<String, Object>) value);
	}

	/** One participant's view of one remote participant, as the monitor saw it. */
	public record PeerReport(String id, boolean initial, long samples, long worstStallMs, long frames, long pcReplaced,
			long peerReplaced, long missingTicks, long noVideoReport, long counterWentBack,
			List<Long> firstFrameAfterReplaceMs, List<String> states, Object freezeCount,
			Object totalFreezesDuration, Map<String, Object> worstByPhase, double fps) {

		@SuppressWarnings("unchecked")
		static PeerReport of(Map<String, Object> p) {
			List<String> states = new ArrayList<>();
			for (Object s : (List<Object>) p.getOrDefault("states", List.of())) {
				states.add(String.valueOf(((Map<String, Object>) s).get("v")));
			}
			List<Long> firstFrames = new ArrayList<>();
			for (Object ms : (List<Object>) p.getOrDefault("firstFrameAfterReplaceMs", List.of())) {
				firstFrames.add(((Number) ms).longValue());
			}
			return new PeerReport(String.valueOf(p.get("id")), Boolean.TRUE.equals(p.get("initial")), num(p, "samples"),
					num(p, "worstStallMs"), num(p, "frames"), num(p, "pcReplaced"), num(p, "peerReplaced"),
					num(p, "missingTicks"), num(p, "noVideoReport"), num(p, "counterWentBack"), firstFrames, states,
					p.get("freezeCount"), p.get("totalFreezesDuration"),
					(Map<String, Object>) p.getOrDefault("worstByPhase", Map.of()), fps(p));
		}

		/** Frames decoded per second while monitored (0 across a replaced connection). */
		private static double fps(Map<String, Object> p) {
			long span = num(p, "lastSampleAt") - num(p, "firstSampleAt");
			long frames = num(p, "framesDecoded") - num(p, "firstFrames");
			return span <= 0 || frames < 0 ? 0 : Math.round(frames * 10000.0 / span) / 10.0;
		}

		@Override
		public String toString() {
			return this.id + " (" + this.fps + " fps): worst stall " + this.worstStallMs + " ms " + this.worstByPhase + " over " + this.samples
					+ " samples, " + this.frames + " frames" + (this.pcReplaced + this.peerReplaced > 0 ? ", replaced " + this.pcReplaced + " pc / "
							+ this.peerReplaced + " peer, first frame after " + this.firstFrameAfterReplaceMs + " ms" : "")
					+ (this.missingTicks > 0 ? ", missing from mesh.peers in " + this.missingTicks + " samples" : "")
					+ ", states " + this.states + ", chrome freezes " + this.freezeCount + " (" + this.totalFreezesDuration
					+ " s)";
		}
	}

	/** Everything one page's monitor recorded. */
	public static final class Report {

		private final String page;

		private final Map<String, Object> raw;

		private final Map<String, PeerReport> peers = new LinkedHashMap<>();

		@SuppressWarnings("unchecked")
		Report(String page, Map<String, Object> raw) {
			this.page = page;
			this.raw = raw;
			((Map<String, Object>) raw.getOrDefault("peers", Map.of()))
				.forEach((id, p) -> this.peers.put(id, PeerReport.of((Map<String, Object>) p)));
		}

		public String page() {
			return this.page;
		}

		/** The raw JSON of the monitor, decoded. */
		public Map<String, Object> raw() {
			return this.raw;
		}

		public Map<String, PeerReport> peers() {
			return this.peers;
		}

		public long durationMs() {
			return num(this.raw, "durationMs");
		}

		public long maxTickGapMs() {
			return num(this.raw, "maxTickGapMs");
		}

		/** The worst stall over the given remote participants (all when empty). */
		public long worstStallMs(Collection<String> ids) {
			return this.peers.values().stream().filter(p -> ids.isEmpty() || ids.contains(p.id()))
				.mapToLong(PeerReport::worstStallMs).max().orElse(-1);
		}

		@SuppressWarnings("unchecked")
		public List<Map<String, Object>> list(String key) {
			return (List<Map<String, Object>>) this.raw.getOrDefault(key, List.of());
		}

		@SuppressWarnings("unchecked")
		public Map<String, Object> map(String key) {
			return (Map<String, Object>) this.raw.getOrDefault(key, Map.of());
		}

		/** The values a timeline ({@code signaling}, {@code call}, {@code status}) went through, in order. */
		public List<String> values(String timeline) {
			List<String> values = new ArrayList<>();
			for (Map<String, Object> entry : list(timeline)) {
				values.add(String.valueOf(entry.get("v")));
			}
			return values;
		}

		/** The {@code #call-status} texts shown while {@code data-signaling} was not {@code connected}. */
		public List<String> statusWhileReconnecting() {
			List<String> texts = new ArrayList<>();
			for (Map<String, Object> entry : list("status")) {
				if (!"connected".equals(entry.get("signaling"))) {
					texts.add(String.valueOf(entry.get("v")));
				}
			}
			return texts;
		}

		/**
		 * Everything about {@code ids} (the remote participant ids this page had at install) stayed as
		 * it was: {@link #checkMedia}, {@link #checkTilesKept}, {@link #checkOnly}, the page's own id
		 * unchanged and no monitor errors. Adds every violation to {@code problems}.
		 */
		public void checkUndisturbed(Collection<String> ids, List<String> problems) {
			checkMedia(ids, problems);
			checkTilesKept(problems);
			checkOnly(ids, problems);
			checkOwnIdKept(problems);
		}

		/**
		 * The media of {@code ids} was not disturbed: each sampled and decoding, no stall over
		 * {@link #MAX_STALL_MS}, the same peer connection and peer object throughout, never missing from
		 * {@code mesh.peers}, the same tile element at the end.
		 */
		public void checkMedia(Collection<String> ids, List<String> problems) {
			checkMedia(ids, MAX_STALL_MS, problems);
		}

		/** {@link #checkMedia(Collection, List)} with another stall bound ({@link Long#MAX_VALUE}: none). */
		public void checkMedia(Collection<String> ids, long maxStallMs, List<String> problems) {
			for (String id : ids) {
				PeerReport p = this.peers.get(id);
				if (p == null) {
					problems.add(this.page + ": never sampled a peer for " + id + " (peers seen: " + this.peers.keySet() + ")");
					continue;
				}
				if (p.samples() < 5 || p.frames() <= 0) {
					problems.add(this.page + ": video of " + id + " hardly sampled or never decoding: " + p);
				}
				if (p.worstStallMs() > maxStallMs) {
					problems.add(this.page + ": video of " + id + " stalled " + p.worstStallMs() + " ms (> " + maxStallMs
							+ " ms; monitor's worst tick gap " + maxTickGapMs() + " ms): " + p);
				}
				if (p.pcReplaced() > 0 || p.peerReplaced() > 0) {
					problems.add(this.page + ": peer connection with " + id + " replaced: " + p);
				}
				if (p.missingTicks() > 0) {
					problems.add(this.page + ": " + id + " missing from mesh.peers for a while: " + p);
				}
				if (p.counterWentBack() > 0) {
					problems.add(this.page + ": framesDecoded of " + id + " went back (a new inbound stream): " + p);
				}
				checkSameTile(id, problems);
			}
			if (!list("errors").isEmpty()) {
				problems.add(this.page + ": monitor errors: " + list("errors"));
			}
		}

		/** The tile element of {@code id} at the end is the one it had at install. */
		public void checkSameTile(String id, List<String> problems) {
			Object identity = map("tileIdentity").get(id);
			if (!"same".equals(identity)) {
				problems.add(this.page + ": tile element of " + id + " at the end: " + identity + " (not the same element)");
			}
		}

		/** No remote tile was removed from or added to the page, and no participant has two. */
		public void checkTilesKept(List<String> problems) {
			if (!list("removedTiles").isEmpty()) {
				problems.add(this.page + ": remote tiles removed: " + list("removedTiles"));
			}
			if (!list("addedTiles").isEmpty()) {
				problems.add(this.page + ": remote tiles added: " + list("addedTiles"));
			}
			if (!map("duplicateTiles").isEmpty()) {
				problems.add(this.page + ": more than one tile for one participant: " + map("duplicateTiles"));
			}
		}

		/** No peer for a participant id outside {@code ids} ever appeared. */
		public void checkOnly(Collection<String> ids, List<String> problems) {
			for (String id : this.peers.keySet()) {
				if (!ids.contains(id)) {
					problems.add(this.page + ": a peer for an unexpected participant id " + id + ": " + this.peers.get(id));
				}
			}
		}

		/** {@code mesh.selfId} never changed. */
		public void checkOwnIdKept(List<String> problems) {
			if (!list("selfIdChanges").isEmpty()) {
				problems.add(this.page + ": own participant id changed from " + this.raw.get("selfIdAtInstall") + ": "
						+ list("selfIdChanges"));
			}
		}

		/**
		 * The page's signaling went through {@code reconnecting} (so the outage really reached it), and
		 * meanwhile its status line said that it was reconnecting.
		 */
		public void checkSaidReconnecting(List<String> problems) {
			if (!values("signaling").contains("reconnecting")) {
				problems.add(this.page + ": data-signaling never went to reconnecting: " + values("signaling"));
				return;
			}
			if (statusWhileReconnecting().stream().noneMatch(text -> text.toLowerCase().contains("reconnect"))) {
				problems.add(this.page + ": while reconnecting, #call-status never said so: " + statusWhileReconnecting());
			}
		}

		/** The periods its signaling was not {@code connected}: [from, to] by the page's clock (to = -1: still). */
		public List<long[]> outages() {
			List<long[]> periods = new ArrayList<>();
			long from = -1;
			for (Map<String, Object> entry : list("signaling")) {
				boolean connected = "connected".equals(entry.get("v"));
				long at = ((Number) entry.get("at")).longValue();
				if (!connected && from < 0) {
					from = at;
				}
				else if (connected && from >= 0) {
					periods.add(new long[] { from, at });
					from = -1;
				}
			}
			if (from >= 0) {
				periods.add(new long[] { from, -1 });
			}
			return periods;
		}

		/** {@link #outages()} as text, in ms relative to {@code origin} (System.currentTimeMillis()). */
		public String outagesSince(long origin) {
			List<String> parts = new ArrayList<>();
			for (long[] period : outages()) {
				parts.add("+" + (period[0] - origin) + ".." + (period[1] < 0 ? "(still)" : "+" + (period[1] - origin))
						+ " ms (" + (period[1] < 0 ? "?" : Long.toString(period[1] - period[0])) + " ms)");
			}
			return this.page + " reconnecting " + (parts.isEmpty() ? "never" : String.join(", ", parts));
		}

		/**
		 * The roster never listed fewer than everyone (self plus the remote tiles at install) and
		 * never listed someone without a tile.
		 */
		public void checkRosterAlwaysComplete(List<String> problems) {
			if (!list("rosterShort").isEmpty()) {
				problems.add(this.page + ": the roster listed fewer than " + (list("tilesAtInstall").size() + 1)
						+ " participants (smallest " + this.raw.get("rosterMin") + "): " + list("rosterShort"));
			}
			if (!list("rosterStranger").isEmpty()) {
				problems.add(this.page + ": the roster listed participants without a tile: " + list("rosterStranger"));
			}
		}

		/** The page never went back to the pre-join state ({@code data-call="out"}). */
		public void checkNeverOutOfTheCall(List<String> problems) {
			if (values("call").contains("out")) {
				problems.add(this.page + ": data-call went through " + values("call") + " (the pre-join screen)");
			}
		}

		/** One line for the log and the closing note. */
		public String summary() {
			StringBuilder line = new StringBuilder(this.page).append(": worst stall ").append(worstStallMs(List.of()))
				.append(" ms over ").append(durationMs()).append(" ms (").append(this.raw.get("ticks"))
				.append(" samples, worst tick gap ").append(maxTickGapMs()).append(" ms); signaling ")
				.append(values("signaling")).append("; call ").append(values("call"));
			this.peers.values().forEach(p -> line.append("\n    ").append(p));
			long installedAt = num(this.raw, "installedAt");
			List<String> gaps = new ArrayList<>();
			for (Map<String, Object> gap : list("longGaps")) {
				gaps.add(String.valueOf(gap.get("id")).substring(0, Math.min(6, String.valueOf(gap.get("id")).length())) + " "
						+ gap.get("gapMs") + " ms ending +" + (num(gap, "endedAt") - installedAt) + " (" + gap.get("phase")
						+ ", tick gap " + gap.get("tickGapMs") + ")");
			}
			if (!gaps.isEmpty()) {
				line.append("\n    gaps >= 500 ms (time since install): ").append(gaps);
			}
			List<String> reconnecting = statusWhileReconnecting();
			if (!reconnecting.isEmpty()) {
				line.append("\n    status while reconnecting: ").append(reconnecting);
			}
			return line.toString();
		}

		@Override
		public String toString() {
			return summary();
		}
	}

	/** Throws one AssertionError listing every problem, or nothing when there are none. */
	public static void failOn(String what, List<String> problems) {
		if (!problems.isEmpty()) {
			throw new AssertionError(what + ":\n  " + String.join("\n  ", problems));
		}
	}

	static long num(Map<String, Object> map, String key) {
		Object value = map.get(key);
		return value instanceof Number n ? n.longValue() : 0;
	}

}
