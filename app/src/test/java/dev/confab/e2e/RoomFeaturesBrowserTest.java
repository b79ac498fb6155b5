package dev.confab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * Issue 9 through the real UI, judged by what each page shows: chat, raised hands and the owner's
 * room control, with the real app of this JVM (embedded mode) and headless Chromium browsers in
 * the loopback-only namespace.
 * <ol>
 * <li>ada creates the room in the lobby, so she owns it; bob joins: both in the call, ada's page
 * shows the owner's controls and bob's does not, both mark ada as the owner.</li>
 * <li>ada and bob chat through the chat panel (typed, Enter): each page shows every message in
 * order, with the sender's name; markup in a message shows as text (no element, no script run)
 * and its URL as exactly one safe link.</li>
 * <li>cy joins late: its chat log holds the history, oldest first, and the unread badge on the
 * closed panel's button counts it; opening the panel clears it.</li>
 * <li>bob raises his hand: his tile on ada's and cy's pages and every roster show it.</li>
 * <li>ada locks the room from the owner's menu: dan (a fourth browser, no camera, opened only now)
 * clicks Join and is refused, "This room is locked.", never in the call.</li>
 * <li>ada removes cy from cy's tile menu (remove, confirm): cy's page says so and is out of the
 * call; cy's tile and roster entry are gone from every page, and the server agrees.</li>
 * </ol>
 */
public class RoomFeaturesBrowserTest extends AppInBrowsers {

	/** The fewest frames Chromium's fake camera makes: nothing here judges the video beyond "it plays". */
	static final int CAMERA_FPS = 5;

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers().withFakeCameraFps(CAMERA_FPS);

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(45);

	/** One step's effect (a message, a hand, a lock, a removal) on every page. */
	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration AGREE_TIMEOUT = Duration.ofSeconds(15);

	private static final String HELLO = "Hello from ada";

	private static final String REPLY = "Hi ada, bob here";

	private static final String LINK = "https://example.org/x";

	/** Markup, a script that would run if it were markup, and a URL. */
	private static final String MARKUP = "<b>bold</b> <img src=x onerror=\"window.__xss=1\"> " + LINK;

	private static final String LOCKED = "This room is locked.";

	private static final String REMOVED = "The owner removed you from the call.";

	@Override
	protected LoopbackBrowsers browsers() {
		return browsers;
	}

	@Test
	void chatHandsLockAndRemovalAsThePagesShowThem() {
		long started = System.currentTimeMillis();
		// 1. ada creates the room (she owns it), bob joins.
		BrowserCalls.RoomPages room = BrowserCalls.openRoom(browsers, this.base, "features", "ada", "bob");
		Browser ada = room.page("ada");
		Browser bob = room.page("bob");
		String roomUrl = room.url();
		CallViews.Server server = BrowserCalls.server(this.db, this.base, ada, room.slug());
		Map<String, String> ids = new LinkedHashMap<>();
		join(ada, ids);
		join(bob, ids);
		BrowserCalls.awaitCallEverywhere(List.of(ada, bob), CALL_UP_TIMEOUT);
		CallViews.awaitAgreement("ada and bob in the call", List.of(ada, bob), ids, server, AGREE_TIMEOUT);
		ownerShown(ada, bob, ids);
		System.out.println("[confab-e2e] ada (" + ids.get("ada") + ", owner) and bob (" + ids.get("bob")
				+ ") in the call after " + (System.currentTimeMillis() - started) + " ms");

		// 2. ada and bob chat through the panel.
		openChat(ada);
		openChat(bob);
		List<Said> said = new ArrayList<>();
		say(ada, HELLO, said, List.of(ada, bob), ids);
		say(bob, REPLY, said, List.of(ada, bob), ids);
		say(bob, MARKUP, said, List.of(ada, bob), ids);

		// 3. cy joins late: the history, and the badge counting it while the panel is closed.
		Browser cy = BrowserCalls.logIn(browsers.open("cy"), this.base);
		cy.open(roomUrl);
		join(cy, ids);
		List<Browser> everyone = List.of(ada, bob, cy);
		BrowserCalls.awaitCallEverywhere(everyone, CALL_UP_TIMEOUT);
		CallViews.awaitAgreement("cy joined", everyone, ids, server, AGREE_TIMEOUT);
		historyAndBadge(cy, said, ids);

		// 4. bob raises his hand.
		raiseHand(bob, List.of(ada, cy), ids);

		// 5. ada locks the room; dan is turned away.
		lock(ada, everyone);
		danIsRefused(roomUrl);
		CallViews.awaitAgreement("after dan was refused", everyone, ids, server, AGREE_TIMEOUT);

		// 6. ada removes cy.
		remove(ada, cy, List.of(ada, bob), ids);
		ids.remove("cy");
		CallViews.awaitAgreement("after cy was removed", everyone, ids, server, AGREE_TIMEOUT);
		for (Browser page : everyone) {
			View view = View.of(page);
			assertThat(view.xss()).as(page.name() + ": window.__xss at the end (a message's onerror ran?)")
				.isEqualTo("undefined");
			assertThat(view.chatImages()).as(page.name() + ": <img> elements in #chat-log at the end").isZero();
		}
		System.out.println("[confab-e2e] room features test done in " + (System.currentTimeMillis() - started) + " ms");
	}

	// ------------------------------------------------------------------------------- steps

	/** Clicks Join and waits until the page is in the call; records its participant id. */
	private static void join(Browser browser, Map<String, String> ids) {
		browser.click("button#join");
		BrowserCalls.InCall in = BrowserCalls.awaitInCall(browser, null, CALL_UP_TIMEOUT);
		if (!in.ok()) {
			throw new AssertionError(browser.name() + ": not in the call within " + CALL_UP_TIMEOUT.toSeconds()
					+ " s of clicking Join: " + in.state());
		}
		ids.put(browser.name(), (String) in.state().get("selfId"));
	}

	/** ada's page shows the owner's controls, bob's does not; both mark ada (tile, roster) as the owner. */
	private static void ownerShown(Browser ada, Browser bob, Map<String, String> ids) {
		String adaId = ids.get("ada");
		String bobId = ids.get("bob");
		ada.await("owns the room: body data-owner, #owner-controls shown, own tile marked, ⋯ on bob's tile",
				STEP_TIMEOUT, () -> View.of(ada),
				v -> v.owner() && v.ownerControls() && v.self() != null && v.self().owner()
						&& "Owner".equals(v.self().ownerMark()) && v.tile(bobId) != null && v.tile(bobId).actions()
						&& !v.tile(bobId).owner() && v.rosterEntry(adaId) != null && v.rosterEntry(adaId).owner()
						&& "owner".equals(v.rosterEntry(adaId).ownerText()));
		bob.await("sees ada as the owner (tile mark, roster) and has no owner controls", STEP_TIMEOUT,
				() -> View.of(bob),
				v -> !v.owner() && !v.ownerControls() && v.tile(adaId) != null && v.tile(adaId).owner()
						&& "Owner".equals(v.tile(adaId).ownerMark()) && !v.tile(adaId).actions()
						&& v.self() != null && !v.self().owner() && v.rosterEntry(adaId) != null
						&& v.rosterEntry(adaId).owner() && v.rosterEntry(bobId) != null && !v.rosterEntry(bobId).owner());
	}

	private static void openChat(Browser browser) {
		browser.click("#toggle-chat");
		browser.await("chat panel open, its field enabled", STEP_TIMEOUT, () -> View.of(browser),
				v -> "open".equals(v.chat()) && v.chatLogShown() && v.chatInputEnabled());
	}

	/** One chat message typed into {@code from}'s panel and sent with Enter; every page shows the log as expected. */
	private static void say(Browser from, String text, List<Said> said, List<Browser> pages, Map<String, String> ids) {
		said.add(new Said(from.name(), text));
		List<Said> expected = List.copyOf(said);
		long before = System.currentTimeMillis();
		from.find("#chat-input").sendKeys(text, Keys.ENTER);
		from.await("the chat field is empty again after Enter", STEP_TIMEOUT,
				() -> from.script("return document.getElementById('chat-input').value;"), ""::equals);
		for (Browser page : pages) {
			page.await("chat log shows " + expected.size() + " message(s) in order, as text, with names",
					STEP_TIMEOUT, () -> View.of(page), v -> chatProblems(page, v, expected, ids).isEmpty());
		}
		System.out.println("[confab-e2e] " + from.name() + "'s message " + expected.size() + " shown on "
				+ pages.stream().map(Browser::name).toList() + " within " + (System.currentTimeMillis() - before)
				+ " ms of Enter");
	}

	/** cy: the history in the log while the panel is closed, counted on the badge; opening the panel clears it. */
	private static void historyAndBadge(Browser cy, List<Said> said, Map<String, String> ids) {
		String count = String.valueOf(said.size());
		View closed = cy.await("history of " + count + " messages in the log, panel closed, unread badge " + count,
				STEP_TIMEOUT, () -> View.of(cy),
				v -> "closed".equals(v.chat()) && chatProblems(cy, v, said, ids).isEmpty()
						&& count.equals(v.unreadCount()) && v.unreadShown() && count.equals(v.unreadText())
						&& ("Chat, " + count + " unread").equals(v.chatLabel()));
		System.out.println("[confab-e2e] cy joined late: history " + closed.chatLog().stream().map(ChatLine::seq).toList()
				+ ", unread badge '" + closed.unreadText() + "' (" + closed.chatLabel() + ")");
		cy.click("#toggle-chat");
		cy.await("panel open shows the history, badge cleared", STEP_TIMEOUT, () -> View.of(cy),
				v -> "open".equals(v.chat()) && v.chatLogShown() && chatProblems(cy, v, said, ids).isEmpty()
						&& "0".equals(v.unreadCount()) && !v.unreadShown() && v.chatLabel() == null);
	}

	private static void raiseHand(Browser bob, List<Browser> others, Map<String, String> ids) {
		String bobId = ids.get("bob");
		long before = System.currentTimeMillis();
		bob.click("#toggle-hand");
		long clicked = System.currentTimeMillis();
		List<String> seen = new ArrayList<>();
		bob.await("#toggle-hand pressed, own tile shows hand 1", STEP_TIMEOUT, () -> View.of(bob),
				v -> "true".equals(v.handPressed()) && v.self() != null && "1".equals(v.self().hand())
						&& "✋ 1".equals(v.self().handMark()));
		seen.add("bob +" + (System.currentTimeMillis() - clicked));
		for (Browser page : others) {
			page.await("bob's tile and roster entry show his raised hand (1)", STEP_TIMEOUT, () -> View.of(page),
					v -> v.tile(bobId) != null && "1".equals(v.tile(bobId).hand()) && "✋ 1".equals(v.tile(bobId).handMark())
							&& v.rosterEntry(bobId) != null && "1".equals(v.rosterEntry(bobId).hand())
							&& "✋ 1".equals(v.rosterEntry(bobId).handText())
							&& v.tiles().stream().filter(t -> !t.id().equals(bobId)).allMatch(t -> t.hand() == null)
							&& "false".equals(v.handPressed()));
			seen.add(page.name() + " +" + (System.currentTimeMillis() - clicked));
		}
		System.out.println("[confab-e2e] bob's raised hand: clicked in " + (clicked - before)
				+ " ms, then seen by (ms after the click, pages polled in turn): " + seen);
	}

	private static void lock(Browser ada, List<Browser> everyone) {
		long before = System.currentTimeMillis();
		ada.click("#toggle-room-menu");
		ada.click("#toggle-lock");
		long clicked = System.currentTimeMillis();
		ada.await("#toggle-lock pressed", STEP_TIMEOUT, () -> View.of(ada), v -> "true".equals(v.lockPressed()));
		long pressed = System.currentTimeMillis();
		List<String> seen = new ArrayList<>();
		for (Browser page : everyone) {
			page.await("roster says the room is locked", STEP_TIMEOUT, () -> View.of(page),
					v -> "true".equals(v.rosterLocked()) && v.roomState().contains("Locked: nobody new can join."));
			seen.add(page.name() + " +" + (System.currentTimeMillis() - clicked));
		}
		ada.click("#toggle-room-menu");
		ada.await("room menu closed", STEP_TIMEOUT,
				() -> ada.script("return document.getElementById('room-menu').hidden;"), Boolean.TRUE::equals);
		System.out.println("[confab-e2e] room locked: menu and lock clicked in " + (clicked - before) + " ms; #toggle-lock"
				+ " pressed on ada's page +" + (pressed - clicked) + " ms; rosters locked seen by (ms after the click, polled in turn): " + seen);
	}

	/** dan, a fourth browser without camera or microphone, opened only now: refused, never in the call; closed at once. */
	private void danIsRefused(String roomUrl) {
		Browser dan = BrowserCalls.logIn(browsers.openWithoutMedia("dan"), this.base);
		try {
			dan.open(roomUrl);
			dan.await("room page connected, its roster says locked", STEP_TIMEOUT, () -> View.of(dan),
					v -> "connected".equals(v.signaling()) && "out".equals(v.call()) && "true".equals(v.rosterLocked())
							&& v.roomState().contains("Locked: nobody new can join.") && v.roster().size() == 3);
			// Every data-call the page goes through after the click.
			dan.script("""
					window.__calls = [document.body.dataset.call];
					new MutationObserver(() => {
					  const call = document.body.dataset.call;
					  if (window.__calls[window.__calls.length - 1] !== call) window.__calls.push(call);
					}).observe(document.body, { attributes: true, attributeFilter: ['data-call'] });
					""");
			long before = System.currentTimeMillis();
			dan.click("button#join");
			View refused = dan.await("refused: data-outcome refused, data-refusal locked, '" + LOCKED + "', out of the call",
					STEP_TIMEOUT, () -> View.of(dan),
					v -> "refused".equals(v.outcome()) && "locked".equals(v.refusal()) && LOCKED.equals(v.status())
							&& "out".equals(v.call()) && v.tiles().isEmpty() && v.selfId() == null);
			long after = System.currentTimeMillis() - before;
			@SuppressWarnings("unchecked")
			List<Object> calls = (List<Object>) dan.script("return window.__calls;");
			System.out.println("[confab-e2e] dan refused " + after + " ms after clicking Join: '" + refused.status()
					+ "' (tone " + refused.tone() + "), data-call went " + calls);
			assertThat(calls).as("dan: the data-call values after clicking Join").doesNotContain((Object) "in", "waiting");
			assertThat(View.of(dan).chatInputEnabled()).as("dan: chat field enabled after the refusal").isFalse();
		}
		finally {
			browsers.close(dan);
		}
	}

	private static void remove(Browser ada, Browser cy, List<Browser> stay, Map<String, String> ids) {
		String cyId = ids.get("cy");
		String tile = "#tile-" + cyId;
		ada.click(tile + " .tile-actions-toggle");
		ada.click(tile + " [data-tile-action=\"remove\"]");
		String question = ada.find(tile + " .tile-actions-menu .confirm .question").getText();
		assertThat(question).as("ada: the confirmation on cy's tile").startsWith("Remove cy from the call?");
		long before = System.currentTimeMillis();
		ada.click(tile + " [data-tile-action=\"remove-confirmed\"]");
		View removed = cy.await("removed: '" + REMOVED + "', data-outcome removed, out of the call, no tiles", STEP_TIMEOUT,
				() -> View.of(cy), v -> "removed".equals(v.outcome()) && REMOVED.equals(v.status()) && "out".equals(v.call())
						&& v.tiles().isEmpty() && !v.chatInputEnabled());
		long cyTold = System.currentTimeMillis() - before;
		for (Browser page : stay) {
			page.await("cy's tile and roster entry gone", STEP_TIMEOUT, () -> View.of(page),
					v -> v.tile(cyId) == null && v.rosterEntry(cyId) == null && v.tiles().size() == 1
							&& v.roster().size() == 2);
		}
		System.out.println("[confab-e2e] cy removed: cy's page said '" + removed.status() + "' after " + cyTold
				+ " ms, ada's and bob's pages dropped cy's tile and roster entry within "
				+ (System.currentTimeMillis() - before) + " ms of the confirmation");
	}

	// ------------------------------------------------------------------------------- the chat as a page shows it

	/** A message as sent: the sender's screen name and the text typed. */
	record Said(String name, String text) {
	}

	/** What is wrong with {@code view}'s chat log for the messages {@code expected}, in that order. */
	private static List<String> chatProblems(Browser page, View view, List<Said> expected, Map<String, String> ids) {
		List<String> problems = new ArrayList<>();
		List<ChatLine> log = view.chatLog();
		if (log.size() != expected.size()) {
			problems.add(log.size() + " messages, expected " + expected.size());
			return problems;
		}
		for (int i = 0; i < log.size(); i++) {
			ChatLine line = log.get(i);
			Said said = expected.get(i);
			if (i > 0 && line.seq() <= log.get(i - 1).seq()) {
				problems.add("message " + i + " has data-seq " + line.seq() + " after " + log.get(i - 1).seq());
			}
			if (!said.name().equals(line.name()) || !Objects.equals(ids.get(said.name()), line.from())) {
				problems.add("message " + i + " from " + line.name() + " (" + line.from() + "), expected " + said.name());
			}
			if (!said.text().equals(line.text())) {
				problems.add("message " + i + " reads '" + line.text() + "', expected '" + said.text() + "'");
			}
			if (line.own() != said.name().equals(page.name())) {
				problems.add("message " + i + " data-own " + line.own());
			}
			boolean hasLink = said.text().contains(LINK);
			List<String> wantElements = hasLink ? List.of("a") : List.of();
			if (!line.elements().equals(wantElements)) {
				problems.add("message " + i + " .text holds elements " + line.elements() + ", expected " + wantElements);
			}
			if (hasLink && !(line.links().size() == 1 && LINK.equals(line.links().get(0).get("href"))
					&& "noopener noreferrer".equals(line.links().get(0).get("rel"))
					&& LINK.equals(line.links().get(0).get("text")))) {
				problems.add("message " + i + " links " + line.links() + ", expected one to " + LINK
						+ " with rel=\"noopener noreferrer\"");
			}
		}
		if (!"undefined".equals(view.xss())) {
			problems.add("window.__xss is " + view.xss());
		}
		if (view.chatImages() != 0) {
			problems.add(view.chatImages() + " <img> in #chat-log");
		}
		return problems;
	}

	// ------------------------------------------------------------------------------- the page's view

	/** One message of {@code #chat-log}: data-seq, data-from, data-own, its name, its text and what elements the text holds. */
	record ChatLine(long seq, String from, boolean own, String name, String text, List<String> elements,
			List<Map<String, Object>> links) {
	}

	/** A tile ({@code #tile-<id>}, or {@code #tile-self} with a null id) and its marks. */
	record TileView(String id, String domId, String name, String hand, boolean owner, String handMark,
			String ownerMark, boolean actions) {
	}

	/** A roster entry ({@code #roster li[data-participant]}). */
	record RosterLine(String id, String name, String hand, boolean owner, String handText, String ownerText) {
	}

	/** What a page shows of the call, the chat, hands and the room's state. */
	record View(String selfId, String call, String signaling, String outcome, String refusal, boolean owner, String chat,
			String status, String tone, String unreadCount, boolean unreadShown, String unreadText, String chatLabel,
			boolean chatLogShown, boolean chatInputEnabled, String handPressed, boolean ownerControls, String lockPressed,
			List<TileView> tiles, TileView self, String rosterLocked, String roomState, List<RosterLine> roster,
			List<ChatLine> chatLog, long chatImages, String xss) {

		private static final String SCRIPT = """
				const text = el => el ? (el.textContent || '').trim() : null;
				const shown = el => !!el && !el.hidden && el.getClientRects().length > 0;
				const attr = (id, name) => { const el = document.getElementById(id); return el ? el.getAttribute(name) : null; };
				const body = document.body.dataset;
				const mesh = window.confab && window.confab.mesh;
				const tile = t => ({
				  id: t.id === 'tile-self' ? null : (t.dataset.participant || null), domId: t.id,
				  name: text(t.querySelector('figcaption .name')),
				  hand: t.dataset.hand || null, owner: t.dataset.owner === 'true',
				  handMark: text(t.querySelector('.tile-marks .hand-mark')),
				  ownerMark: text(t.querySelector('.tile-marks .owner-mark')),
				  actions: shown(t.querySelector('.tile-actions-toggle'))
				});
				const rosterEl = document.getElementById('roster');
				const unread = document.getElementById('chat-unread');
				const status = document.getElementById('call-status');
				const input = document.getElementById('chat-input');
				const self = document.getElementById('tile-self');
				return {
				  selfId: mesh ? mesh.selfId : null,
				  call: body.call || null, signaling: body.signaling || null,
				  outcome: body.outcome || null, refusal: body.refusal || null,
				  owner: body.owner === 'true', chat: body.chat || null,
				  status: text(status), tone: status ? (status.dataset.tone || null) : null,
				  unreadCount: unread ? (unread.dataset.count || null) : null, unreadShown: shown(unread),
				  unreadText: text(unread), chatLabel: attr('toggle-chat', 'aria-label'),
				  chatLogShown: shown(document.getElementById('chat-log')),
				  chatInputEnabled: !!input && !input.disabled,
				  handPressed: attr('toggle-hand', 'aria-pressed'),
				  ownerControls: shown(document.getElementById('owner-controls')),
				  lockPressed: attr('toggle-lock', 'aria-pressed'),
				  tiles: [...document.querySelectorAll('#tiles .tile.remote')].map(tile),
				  self: self ? tile(self) : null,
				  rosterLocked: rosterEl ? (rosterEl.dataset.locked || null) : null,
				  roomState: rosterEl ? [...rosterEl.querySelectorAll('.room-state')].map(text).join(' | ') : '',
				  roster: rosterEl ? [...rosterEl.querySelectorAll('li[data-participant]')].map(li => ({
				    id: li.dataset.participant, name: text(li.querySelector('.name')), hand: li.dataset.hand || null,
				    owner: li.dataset.owner === 'true', handText: text(li.querySelector('.hand')),
				    ownerText: text(li.querySelector('.owner')) })) : [],
				  chatLog: [...document.querySelectorAll('#chat-log .chat-message')].map(m => {
				    const t = m.querySelector('.text');
				    return { seq: Number(m.dataset.seq), from: m.dataset.from || null, own: m.dataset.own === 'true',
				      name: text(m.querySelector('.name')), text: t ? t.textContent : null,
				      elements: t ? [...t.querySelectorAll('*')].map(e => e.tagName.toLowerCase()) : [],
				      links: t ? [...t.querySelectorAll('a')].map(a => ({ href: a.getAttribute('href'),
				        rel: a.getAttribute('rel'), text: a.textContent })) : [] };
				  }),
				  chatImages: document.querySelectorAll('#chat-log img').length,
				  xss: typeof window.__xss
				};
				""";

		@SuppressWarnings("unchecked")
		static View of(Browser page) {
			Map<String, Object> raw = page.callForMap(SCRIPT);
			List<TileView> tiles = ((List<Object>) raw.get("tiles")).stream().map(o -> tileOf((Map<String, Object>) o))
				.toList();
			List<RosterLine> roster = ((List<Object>) raw.get("roster")).stream().map(o -> {
				Map<String, Object> e = (Map<String, Object>) o;
				return new RosterLine((String) e.get("id"), (String) e.get("name"), (String) e.get("hand"),
						Boolean.TRUE.equals(e.get("owner")), (String) e.get("handText"), (String) e.get("ownerText"));
			}).toList();
			List<ChatLine> chat = ((List<Object>) raw.get("chatLog")).stream().map(o -> {
				Map<String, Object> m = (Map<String, Object>) o;
				return new ChatLine(((Number) m.get("seq")).longValue(), (String) m.get("from"),
						Boolean.TRUE.equals(m.get("own")), (String) m.get("name"), (String) m.get("text"),
						(List<String>) m.get("elements"), (List<Map<String, Object>>) m.get("links"));
			}).toList();
			return new View((String) raw.get("selfId"), (String) raw.get("call"), (String) raw.get("signaling"),
					(String) raw.get("outcome"), (String) raw.get("refusal"), Boolean.TRUE.equals(raw.get("owner")),
					(String) raw.get("chat"), (String) raw.get("status"), (String) raw.get("tone"),
					(String) raw.get("unreadCount"), Boolean.TRUE.equals(raw.get("unreadShown")),
					(String) raw.get("unreadText"), (String) raw.get("chatLabel"),
					Boolean.TRUE.equals(raw.get("chatLogShown")), Boolean.TRUE.equals(raw.get("chatInputEnabled")),
					(String) raw.get("handPressed"), Boolean.TRUE.equals(raw.get("ownerControls")),
					(String) raw.get("lockPressed"), tiles,
					raw.get("self") == null ? null : tileOf((Map<String, Object>) raw.get("self")),
					(String) raw.get("rosterLocked"), (String) raw.get("roomState"), roster, chat,
					((Number) raw.get("chatImages")).longValue(), (String) raw.get("xss"));
		}

		private static TileView tileOf(Map<String, Object> t) {
			return new TileView((String) t.get("id"), (String) t.get("domId"), (String) t.get("name"),
					(String) t.get("hand"), Boolean.TRUE.equals(t.get("owner")), (String) t.get("handMark"),
					(String) t.get("ownerMark"), Boolean.TRUE.equals(t.get("actions")));
		}

		/** The remote tile of participant {@code id}, or null. */
		TileView tile(String id) {
			return this.tiles.stream().filter(t -> id.equals(t.id())).findFirst().orElse(null);
		}

		/** The roster entry of participant {@code id}, or null. */
		RosterLine rosterEntry(String id) {
			return this.roster.stream().filter(e -> id.equals(e.id())).findFirst().orElse(null);
		}
	}

}
