package dev.confab.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.Cookie;

/**
 * What the participants see of a call (state, tiles, roster) and whether it agrees with the
 * server's presence: the roster checks of issue 7 ("the roster, the tiles and the lobby count
 * agree with the server's presence after every join, leave, resume and expiry").
 * <p>
 * The server side is a {@link Server}: the presence rows (from the database where the test can
 * read it, else from the room page the server renders), and the lobby count, read over HTTP with a
 * participant's own identity cookie.
 */
public final class CallViews {

	private static final String PAGE_STATE = """
			const mesh = window.confab && window.confab.mesh;
			const body = document.body.dataset;
			const rosterEl = document.getElementById('roster');
			const roster = [...document.querySelectorAll('#roster li[data-participant]')].map(li => ({
			  id: li.dataset.participant,
			  name: ((li.querySelector('.name') || {}).textContent || '').trim(),
			  away: li.dataset.away === 'true'
			}));
			const tiles = [...document.querySelectorAll('#tiles .tile.remote')].map(t => ({
			  id: t.dataset.participant || null,
			  domId: t.id,
			  name: ((t.querySelector('.name') || t.querySelector('figcaption') || {}).textContent || '').trim(),
			  away: t.dataset.away === 'true'
			}));
			const title = rosterEl ? ((rosterEl.querySelector('.roster-title') || rosterEl).textContent || '').trim() : null;
			const status = document.getElementById('call-status');
			return {
			  selfId: mesh ? mesh.selfId : null,
			  peerIds: mesh && mesh.peers instanceof Map ? [...mesh.peers.keys()] : null,
			  call: body.call || null,
			  signaling: body.signaling || null,
			  status: status ? status.textContent.trim() : null,
			  rosterVersion: rosterEl ? (rosterEl.dataset.version || null) : null,
			  rosterTitle: title,
			  roster, tiles
			};
			""";

	private CallViews() {
	}

	/** One roster entry or presence row: participant id, screen name, away or not. */
	public record Entry(String id, String name, boolean away) {
	}

	/** A roster the server rendered: its {@code data-version} (-1 when it has none) and entries. */
	public record Rendered(long version, List<Entry> entries) {
	}

	/** The remote tile of a participant as a page shows it. */
	public record Tile(String id, String domId, String name, boolean away) {
	}

	/** A page's call as read from its DOM and {@code window.confab.mesh}. */
	public record PageState(String page, String selfId, List<String> peerIds, String call, String signaling,
			String status, String rosterVersion, String rosterTitle, List<Entry> roster, List<Tile> tiles) {

		/** The page is in the call and its signaling is connected. */
		public boolean inCallConnected() {
			return "in".equals(this.call) && "connected".equals(this.signaling) && this.selfId != null;
		}

		public List<String> tileIds() {
			return this.tiles.stream().map(Tile::id).toList();
		}

		public List<String> rosterIds() {
			return this.roster.stream().map(Entry::id).toList();
		}
	}

	/** The server's view: who is in the call (with away flags), and the lobby's count for the room. */
	public interface Server {

		/** The presence rows of the room, in any order. */
		List<Entry> presence();

		/** The count the lobby page shows for the room ({@code #room-<slug> .count}), -1 when not listed. */
		int lobbyCount();

		/** The roster in the room page as the server renders it now; null when not checked. */
		default Rendered renderedRoster() {
			return null;
		}

	}

	@SuppressWarnings("unchecked")
	public static PageState read(Browser browser) {
		Map<String, Object> raw = browser.callForMap(PAGE_STATE);
		List<Entry> roster = new ArrayList<>();
		for (Object o : (List<Object>) raw.get("roster")) {
			Map<String, Object> e = (Map<String, Object>) o;
			roster.add(new Entry((String) e.get("id"), (String) e.get("name"), Boolean.TRUE.equals(e.get("away"))));
		}
		List<Tile> tiles = new ArrayList<>();
		for (Object o : (List<Object>) raw.get("tiles")) {
			Map<String, Object> t = (Map<String, Object>) o;
			tiles.add(new Tile((String) t.get("id"), (String) t.get("domId"), (String) t.get("name"),
					Boolean.TRUE.equals(t.get("away"))));
		}
		List<String> peerIds = raw.get("peerIds") == null ? null : (List<String>) raw.get("peerIds");
		return new PageState(browser.name(), (String) raw.get("selfId"), peerIds, (String) raw.get("call"),
				(String) raw.get("signaling"), (String) raw.get("status"), (String) raw.get("rosterVersion"),
				(String) raw.get("rosterTitle"), roster, tiles);
	}

	/**
	 * Waits until every page and the server agree on a call of exactly {@code ids} (screen name →
	 * participant id; the browsers' names are the screen names), nobody away: each page in the call
	 * with its signaling connected and its own id; one tile per other participant, named and
	 * identified as expected, and a peer for each; a roster ({@code #roster li[data-participant]})
	 * of exactly everyone with their names, titled with their number; the server's presence the same
	 * ids, nobody away; the lobby count the same number. Returns the pages' states.
	 */
	public static List<PageState> awaitAgreement(String step, List<Browser> pages, Map<String, String> ids, Server server,
			Duration timeout) {
		return awaitAgreement(step, pages, ids, server, -1, timeout);
	}

	/**
	 * {@link #awaitAgreement(String, List, Map, Server, Duration)}, and every roster (on the pages and
	 * the one the server renders) newer than {@code versionAbove}: the room changed since, so a
	 * roster that agrees shows the call after that change (a resume, say), not before it.
	 */
	public static List<PageState> awaitAgreement(String step, List<Browser> pages, Map<String, String> ids, Server server,
			long versionAbove, Duration timeout) {
		Map<String, PageState> last = new LinkedHashMap<>();
		List<String> problems = Waits.until(step + ": rosters, tiles, lobby count and the server's presence agree on "
				+ ids, timeout, () -> {
					List<String> found = new ArrayList<>();
					for (Browser page : pages) {
						PageState state = read(page);
						last.put(page.name(), state);
						found.addAll(disagreements(state, ids));
						if (versionAbove >= 0 && rosterVersion(state) <= versionAbove) {
							found.add(page.name() + ": roster version " + state.rosterVersion() + ", not above " + versionAbove);
						}
					}
					List<Entry> presence = server.presence();
					TreeSet<String> presentIds = new TreeSet<>(presence.stream().map(Entry::id).toList());
					if (!presentIds.equals(new TreeSet<>(ids.values()))) {
						found.add("server presence " + presence + " is not " + ids);
					}
					presence.stream().filter(Entry::away).forEach(e -> found.add("server shows " + e + " away"));
					Rendered rendered = server.renderedRoster();
					if (rendered != null) {
						List<Entry> expected = ids.entrySet().stream().map(e -> new Entry(e.getValue(), e.getKey(), false))
							.sorted((a, b) -> a.id().compareTo(b.id())).toList();
						if (!rendered.entries().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList().equals(expected)) {
							found.add("the room page the server renders lists " + rendered.entries() + ", expected " + expected);
						}
						if (versionAbove >= 0 && rendered.version() <= versionAbove) {
							found.add("the room page the server renders has roster version " + rendered.version()
									+ ", not above " + versionAbove);
						}
					}
					int lobby = server.lobbyCount();
					if (lobby != ids.size()) {
						found.add("lobby count " + lobby + ", not " + ids.size());
					}
					return found;
				}, List::isEmpty);
		return List.copyOf(last.values());
	}

	/**
	 * What is wrong with {@code state} for a call of exactly {@code ids}, nobody away (empty:
	 * nothing). A page whose name is not in {@code ids} is a watcher on the room page before joining:
	 * out of the call, no remote tiles, signaling connected and the same roster as the participants.
	 */
	public static List<String> disagreements(PageState state, Map<String, String> ids) {
		List<String> found = new ArrayList<>();
		String page = state.page();
		if (!ids.containsKey(page)) {
			if (!"out".equals(state.call()) || !"connected".equals(state.signaling())) {
				found.add(page + " (not joined): call " + state.call() + ", signaling " + state.signaling());
			}
			if (!state.tiles().isEmpty()) {
				found.add(page + " (not joined): remote tiles " + state.tiles());
			}
			checkRoster(state, ids, found);
			return found;
		}
		String ownId = ids.get(page);
		if (!state.inCallConnected()) {
			found.add(page + ": call " + state.call() + ", signaling " + state.signaling() + ", self " + state.selfId()
					+ " (status: " + state.status() + ")");
		}
		if (!Objects.equals(state.selfId(), ownId)) {
			found.add(page + ": own participant id " + state.selfId() + ", expected " + ownId);
		}
		Map<String, String> others = new LinkedHashMap<>(ids);
		others.remove(page);
		if (state.tiles().size() != others.size()) {
			found.add(page + ": " + state.tiles().size() + " remote tiles " + state.tiles() + ", expected " + others);
		}
		others.forEach((name, id) -> {
			List<Tile> matching = state.tiles().stream().filter(t -> id.equals(t.id())).toList();
			if (matching.size() != 1) {
				found.add(page + ": " + matching.size() + " tiles for " + name + " (" + id + "): " + state.tiles());
			}
			else {
				Tile tile = matching.get(0);
				if (!("tile-" + id).equals(tile.domId()) || !name.equals(tile.name())) {
					found.add(page + ": tile of " + name + " is " + tile);
				}
				if (tile.away()) {
					found.add(page + ": tile of " + name + " shows away");
				}
			}
		});
		if (state.peerIds() == null || !new TreeSet<>(state.peerIds()).equals(new TreeSet<>(others.values()))) {
			found.add(page + ": mesh.peers " + state.peerIds() + ", expected " + others.values());
		}
		checkRoster(state, ids, found);
		return found;
	}

	/** The roster lists exactly {@code ids} (nobody away), says how many, and has a version. */
	private static void checkRoster(PageState state, Map<String, String> ids, List<String> found) {
		String page = state.page();
		List<Entry> expectedRoster = ids.entrySet().stream().map(e -> new Entry(e.getValue(), e.getKey(), false))
			.sorted((a, b) -> a.id().compareTo(b.id())).toList();
		List<Entry> roster = state.roster().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
		if (!roster.equals(expectedRoster)) {
			found.add(page + ": roster " + state.roster() + ", expected " + expectedRoster);
		}
		String count = ids.isEmpty() ? "Nobody is in the call"
				: ids.size() == 1 ? "1 person in the call" : ids.size() + " people in the call";
		if (state.rosterTitle() == null || !state.rosterTitle().contains(count)) {
			found.add(page + ": roster says '" + state.rosterTitle() + "', expected '" + count + "'");
		}
		if (state.rosterVersion() == null) {
			found.add(page + ": #roster has no data-version");
		}
	}

	/** The page's roster version ({@code #roster[data-version]}), -1 when it has none. */
	public static long rosterVersion(PageState state) {
		try {
			return state.rosterVersion() == null ? -1 : Long.parseLong(state.rosterVersion());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** The highest roster version any of {@code pages} shows now. */
	public static long highestRosterVersion(List<Browser> pages) {
		return pages.stream().mapToLong(page -> rosterVersion(read(page))).max().orElse(-1);
	}

	/** {@code confab_id=<value>} of {@code browser}, for reading pages over HTTP as that user. */
	public static String identityCookie(Browser browser) {
		Cookie cookie = browser.driver().manage().getCookieNamed("confab_id");
		if (cookie == null) {
			throw new AssertionError(browser.name() + ": no confab_id cookie (not logged in?)");
		}
		return "confab_id=" + cookie.getValue();
	}

	private static final Pattern ROSTER = Pattern.compile("<section[^>]*id=\"roster\".*?</section>", Pattern.DOTALL);

	private static final Pattern ROSTER_ENTRY = Pattern
		.compile("<li\\b([^>]*)\\bdata-participant=\"([^\"]+)\"([^>]*)>\\s*<span class=\"name\">([^<]*)</span>");

	private static final Pattern SECTION_VERSION = Pattern.compile("^<section[^>]*\\bdata-version=\"(\\d+)\"");

	/** The roster of a page the server rendered (the room page), or of a roster fragment. */
	public static Rendered rosterIn(String html) {
		Matcher section = ROSTER.matcher(html);
		if (!section.find()) {
			throw new AssertionError("No #roster section in the page: " + html);
		}
		List<Entry> entries = new ArrayList<>();
		Matcher entry = ROSTER_ENTRY.matcher(section.group());
		while (entry.find()) {
			String attributes = entry.group(1) + entry.group(3);
			entries.add(new Entry(entry.group(2), unescape(entry.group(4)), attributes.contains("data-away=\"true\"")));
		}
		Matcher version = SECTION_VERSION.matcher(section.group());
		return new Rendered(version.find() ? Long.parseLong(version.group(1)) : -1, entries);
	}

	private static String unescape(String text) {
		return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
			.replace("&amp;", "&").strip();
	}

	/** A {@link Server} from suppliers; {@code renderedRoster} may be null (not checked). */
	public static Server server(Supplier<List<Entry>> presence, Supplier<Integer> lobbyCount,
			Supplier<Rendered> renderedRoster) {
		return new Server() {
			@Override
			public List<Entry> presence() {
				return presence.get();
			}

			@Override
			public int lobbyCount() {
				return lobbyCount.get();
			}

			@Override
			public Rendered renderedRoster() {
				return renderedRoster == null ? null : renderedRoster.get();
			}
		};
	}

}
