package dev.confab.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.openqa.selenium.WebDriverException;

import dev.confab.support.services.HttpLogin;

import org.springframework.r2dbc.core.DatabaseClient;

/** Steps of a call through the real UI that several browser tests share. */
public final class BrowserCalls {

	private static final String AWAIT_IN_CALL = """
			const [id, limitMs, versionAbove] = args;
			const started = Date.now();
			const seen = [];
			for (;;) {
			  const mesh = window.confab && window.confab.mesh;
			  const body = document.body.dataset;
			  const status = document.getElementById('call-status');
			  const roster = document.getElementById('roster');
			  const state = { at: Date.now(), selfId: mesh ? mesh.selfId : null, call: body.call || null,
			    signaling: body.signaling || null, status: status ? status.textContent.trim() : null,
			    rosterVersion: roster && roster.dataset.version ? Number(roster.dataset.version) : -1 };
			  const last = seen[seen.length - 1];
			  if (!last || last.call !== state.call || last.signaling !== state.signaling || last.selfId !== state.selfId) {
			    seen.push({ at: state.at, call: state.call, signaling: state.signaling, selfId: state.selfId });
			  }
			  const nav = performance.getEntriesByType('navigation')[0];
			  const at = ms => Math.round(ms);
			  const page = { timeOrigin: Math.round(performance.timeOrigin),
			    timing: nav ? { request: at(nav.requestStart), response: at(nav.responseStart), html: at(nav.responseEnd),
			      interactive: at(nav.domInteractive), lastResource: at(Math.max(0, ...performance.getEntriesByType('resource')
			        .filter(r => r.startTime < nav.domContentLoadedEventEnd).map(r => r.responseEnd))),
			      resources: performance.getEntriesByType('resource').filter(r => r.startTime < nav.domContentLoadedEventEnd).length,
			      fromServer: performance.getEntriesByType('resource')
			        .filter(r => r.startTime < nav.domContentLoadedEventEnd && r.transferSize > 0).length,
			      domReady: at(nav.domContentLoadedEventEnd),
			      marks: Object.fromEntries(performance.getEntriesByType('mark').filter(m => m.name.startsWith('confab:'))
			        .map(m => [m.name.substring(7), at(m.startTime)])) } : null,
			    domReady: nav ? Math.round(performance.timeOrigin + nav.domContentLoadedEventEnd) : null,
			    loaded: nav && nav.loadEventEnd ? Math.round(performance.timeOrigin + nav.loadEventEnd) : null };
			  if (mesh && (id === null ? !!mesh.selfId : mesh.selfId === id) && state.call === 'in'
			      && state.signaling === 'connected' && state.rosterVersion > versionAbove) {
			    return { ok: true, ...state, seen, page };
			  }
			  if (Date.now() - started > limitMs) { return { ok: false, ...state, seen, page }; }
			  await new Promise(resolve => setTimeout(resolve, 20));
			}
			""";

	/** The people of the browser tests: screen name → real name. */
	private static final Map<String, String> REAL_NAMES = Map.of("ada", "Ada Lovelace", "bob", "Bob Kahn", "cy",
			"Cy Young", "dan", "Dan Bricklin");

	private BrowserCalls() {
	}

	/** Browsers logged in and on the page of one new room, which the first of them created. */
	public record RoomPages(String url, String slug, List<Browser> pages) {

		public Browser page(String screenName) {
			return this.pages.stream().filter(b -> b.name().equals(screenName)).findFirst().orElseThrow();
		}
	}

	/**
	 * Opens a browser (with fake camera and microphone) for each of {@code screenNames}, logs each in,
	 * lets the first create a room named {@code roomPrefix} and a random suffix, and opens it in the
	 * others. Nobody has joined the call yet.
	 */
	public static RoomPages openRoom(LoopbackBrowsers browsers, String base, String roomPrefix, String... screenNames) {
		List<Browser> pages = new ArrayList<>();
		for (String name : screenNames) {
			pages.add(logIn(browsers.open(name), base));
		}
		String url = createRoom(pages.get(0), roomPrefix + " " + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
		for (Browser page : pages.subList(1, pages.size())) {
			page.open(url);
		}
		return new RoomPages(url, slugOf(url), List.copyOf(pages));
	}

	/** Logs {@code browser} in as the person its name is (ada, bob, cy or dan). */
	public static Browser logIn(Browser browser, String base) {
		String realName = REAL_NAMES.get(browser.name());
		if (realName == null) {
			throw new IllegalArgumentException("no real name for " + browser.name() + ": one of " + REAL_NAMES.keySet());
		}
		return browser.logIn(base, browser.name(), realName);
	}

	/**
	 * The server's view of {@code slug} for {@link CallViews#awaitAgreement}: the participants table,
	 * and the lobby and room pages over HTTP as {@code reader}'s user.
	 */
	public static CallViews.Server server(DatabaseClient db, String base, Browser reader, String slug) {
		OverHttp http = new OverHttp(base, CallViews.identityCookie(reader), slug);
		return CallViews.server(() -> presence(db, slug), http::lobbyCount, http::renderedRoster);
	}

	/** Who is in the call of {@code slug}, by the participants table. */
	public static List<CallViews.Entry> presence(DatabaseClient db, String slug) {
		return db.sql("SELECT id, screen_name, away_until FROM participants WHERE room_slug = :slug")
			.bind("slug", slug)
			.map(row -> new CallViews.Entry(row.get("id", String.class), row.get("screen_name", String.class),
					row.get("away_until") != null))
			.all()
			.collectList()
			.block(Duration.ofSeconds(5));
	}

	/** {@code creator} creates a room named {@code roomName} in the lobby; returns the room's URL. */
	public static String createRoom(Browser creator, String roomName) {
		creator.type("#room-name", roomName).click("#create-room-submit");
		return creator.await("lands on /rooms/<slug> after creating room '" + roomName + "'", Browser.DEFAULT_TIMEOUT,
				creator::currentUrl, url -> URI.create(url).getPath().matches("/rooms/[^/]+"));
	}

	public static String slugOf(String roomUrl) {
		return URI.create(roomUrl).getPath().substring("/rooms/".length());
	}

	/**
	 * Each browser (on the room page already) clicks Join in turn; after each join every page, joined
	 * or still outside, and the server agree on who is in the call ({@link CallViews#awaitAgreement}:
	 * the roster before joining is live too). Returns screen name → participant id.
	 */
	public static Map<String, String> joinInTurnAgreeing(List<Browser> browsers, CallViews.Server server,
			Duration timeout) {
		Map<String, String> ids = new LinkedHashMap<>();
		CallViews.awaitAgreement("before anyone joined", browsers, ids, server, timeout);
		for (Browser browser : browsers) {
			browser.click("button#join");
			InCall in = awaitInCall(browser, null, timeout);
			if (!in.ok()) {
				throw new AssertionError(browser.name() + ": not in the call within " + timeout.toSeconds()
						+ " s of clicking Join: " + in.state());
			}
			ids.put(browser.name(), (String) in.state().get("selfId"));
			CallViews.awaitAgreement("after " + browser.name() + " joined", browsers, ids, server, timeout);
		}
		return ids;
	}

	/** {@link ThreeWayCallBrowserTest#awaitCall} for every browser, each with all the others. */
	public static void awaitCallEverywhere(List<Browser> browsers, Duration timeout) {
		for (Browser browser : browsers) {
			List<String> others = browsers.stream().filter(b -> b != browser).map(Browser::name).toList();
			ThreeWayCallBrowserTest.awaitCall(browser, others, timeout);
		}
	}

	/** A moment a page reached the call, by the page's clock ({@link System#currentTimeMillis()} here). */
	public record InCall(boolean ok, long at, Map<String, Object> state) {
	}

	/**
	 * Waits inside the page (polling every 20 ms, so the moment is exact) until it is in the call
	 * ({@code data-call="in"}, {@code data-signaling="connected"}) as participant {@code id} (any
	 * id when null), for at most {@code limit}. Returns when that was, by the page's clock.
	 */
	public static InCall awaitInCall(Browser browser, String id, Duration limit) {
		return awaitInCall(browser, id, -1, limit);
	}

	/**
	 * {@link #awaitInCall(Browser, String, Duration)}, and with a roster newer than
	 * {@code versionAbove}: after an outage, the roster of the resume (the room's version grows
	 * with every join, leave, away and resume), not the one from before.
	 */
	public static InCall awaitInCall(Browser browser, String id, long versionAbove, Duration limit) {
		Map<String, Object> state = browser.callForMap(AWAIT_IN_CALL, id, limit.toMillis(), versionAbove);
		return new InCall(Boolean.TRUE.equals(state.get("ok")), ((Number) state.get("at")).longValue(), state);
	}

	/**
	 * Reloads {@code browser}'s page as a user would (F5) and waits, without any click, until it is back
	 * in the call as participant {@code id}. Returns the milliseconds from just before the reload to
	 * the moment the page showed it (measured inside the page); fails when not back within
	 * {@code limit}.
	 */
	public static long reloadAndAwaitResume(Browser browser, String id, Duration limit) {
		return reload(browser, id, limit).backAfterMs();
	}

	/** How a reload went, in ms from just before it: the new page's navigation, DOM, load, and back in the call. */
	public record Reloaded(long backAfterMs, long navigationAfterMs, long domReadyAfterMs, long loadedAfterMs,
			List<String> seen, Object pageTiming) {

		@Override
		public String toString() {
			return "back in the call after " + this.backAfterMs + " ms (new page's navigation +" + this.navigationAfterMs
					+ ", DOM ready +" + this.domReadyAfterMs + ", loaded +" + this.loadedAfterMs + "; then " + this.seen
					+ "; the new page's own timing, ms from its navigation: " + this.pageTiming + ")";
		}
	}

	/** {@link #reloadAndAwaitResume}, with the times of the new page's load. */
	@SuppressWarnings("unchecked")
	public static Reloaded reload(Browser browser, String id, Duration limit) {
		long before = System.currentTimeMillis();
		try {
			browser.driver().navigate().refresh();
		}
		catch (WebDriverException ex) {
			throw new AssertionError(browser.name() + ": reload failed: " + Browser.firstLine(ex), ex);
		}
		long remaining = Math.max(1, limit.toMillis() - (System.currentTimeMillis() - before));
		InCall back = awaitInCall(browser, id, Duration.ofMillis(remaining));
		if (!back.ok()) {
			throw new AssertionError(browser.name() + ": not back in the call as " + id + " within " + limit.toMillis()
					+ " ms of the reload, without a click; page state: " + back.state());
		}
		Map<String, Object> page = (Map<String, Object>) back.state().get("page");
		List<String> seen = new ArrayList<>();
		for (Object o : (List<Object>) back.state().getOrDefault("seen", List.of())) {
			Map<String, Object> entry = (Map<String, Object>) o;
			seen.add("+" + (((Number) entry.get("at")).longValue() - before) + " call " + entry.get("call") + ", signaling "
					+ entry.get("signaling"));
		}
		return new Reloaded(back.at() - before, after(page, "timeOrigin", before), after(page, "domReady", before),
				after(page, "loaded", before), seen, page == null ? null : page.get("timing"));
	}

	private static long after(Map<String, Object> page, String key, long before) {
		Object value = page == null ? null : page.get(key);
		return value instanceof Number n ? n.longValue() - before : -1;
	}

	/**
	 * The server's side read over HTTP as {@code cookie}'s user, as any page would get it: the
	 * lobby page's count for the room and the roster the room page renders.
	 */
	public static final class OverHttp {

		private final HttpLogin http;

		private final String cookie;

		private final String slug;

		public OverHttp(String base, String cookie, String slug) {
			this.http = new HttpLogin(base);
			this.cookie = cookie;
			this.slug = slug;
		}

		public int lobbyCount() {
			return HttpLogin.lobbyCount(this.http.lobbyPage(this.cookie), this.slug);
		}

		public CallViews.Rendered renderedRoster() {
			HttpLogin.Page page = this.http.get("/rooms/" + this.slug, this.cookie);
			if (page.status() != 200) {
				throw new AssertionError("GET /rooms/" + this.slug + " answered " + page.status());
			}
			return CallViews.rosterIn(page.body());
		}

		/** The entries of {@link #renderedRoster()}: the presence as the server renders it. */
		public List<CallViews.Entry> presence() {
			return renderedRoster().entries();
		}
	}

}
