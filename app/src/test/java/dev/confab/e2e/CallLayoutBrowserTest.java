package dev.confab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.remote.Augmenter;

/**
 * Issue 10's layout, measured in a real Chromium: three participants in a call (the app of this
 * JVM, embedded mode), then ada's page at 1280×800, at a 390×844 phone and at 640×400 (a 200 %
 * zoom of 1280×800), each in the light and the dark theme ({@code prefers-color-scheme}, emulated
 * through the DevTools protocol):
 * <ul>
 * <li>the tiles cover at least 60 % of the viewport below the site header;</li>
 * <li>no tile's name is covered by anything (the control bar, another tile, a badge): the element
 * at its corners and centre is the name itself;</li>
 * <li>nothing scrolls sideways;</li>
 * <li>every visible, enabled control (buttons, selects, inputs, links) has a text contrast of at
 * least 4.5:1 (WCAG AA) against its effective background (the backgrounds under it composited).
 * Disabled controls are left out, as WCAG leaves them out.</li>
 * </ul>
 */
public class CallLayoutBrowserTest extends AppInBrowsers {

	/** The fewest frames Chromium's fake camera makes: the layout does not care about motion. */
	static final int CAMERA_FPS = 5;

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers().withFakeCameraFps(CAMERA_FPS);

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(45);

	/** A new viewport or theme: the tiles laid out again and still for a moment. */
	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

	static final double MIN_TILE_SHARE = 0.60;

	static final double MIN_CONTRAST = 4.5;

	/** The viewports of issue 10: desktop, phone, 200 % zoom. */
	record Viewport(String name, int width, int height, double scale, boolean mobile) {
	}

	static final List<Viewport> VIEWPORTS = List.of(new Viewport("desktop 1280x800", 1280, 800, 1, false),
			new Viewport("phone 390x844", 390, 844, 3, true), new Viewport("zoomed 640x400", 640, 400, 2, false));

	/**
	 * Waits until #tiles holds {@code count} tiles laid out by call/tile-view.js and their boxes
	 * stopped moving (the layout animates), then measures the page.
	 */
	private static final String MEASURE = """
			const [count, limitMs] = args;
			const started = Date.now();
			const boxes = () => [...document.querySelectorAll('#tiles > .tile')].map(t => {
			  const r = t.getBoundingClientRect();
			  return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)].join(',');
			}).join(' ');
			let before = null;
			for (;;) {
			  const tiles = document.getElementById('tiles');
			  const now = boxes();
			  const ready = tiles && tiles.dataset.layout === 'fitted' && tiles.querySelectorAll(':scope > .tile').length === count;
			  if (ready && now === before) break;
			  if (Date.now() - started > limitMs) return { ok: false, why: 'tiles not laid out and still', boxes: now };
			  before = now;
			  await new Promise(resolve => setTimeout(resolve, 300));
			}

			// ---- tile area below the header
			const header = document.querySelector('.site-header').getBoundingClientRect();
			const top = Math.max(0, header.bottom);
			const W = window.innerWidth, H = window.innerHeight;
			const clipArea = r => Math.max(0, Math.min(r.right, W) - Math.max(r.left, 0)) * Math.max(0, Math.min(r.bottom, H) - Math.max(r.top, top));
			const tiles = [...document.querySelectorAll('#tiles > .tile')];
			const tileArea = tiles.reduce((sum, t) => sum + clipArea(t.getBoundingClientRect()), 0);
			const share = tileArea / (W * (H - top));

			// ---- names not covered
			const covered = [];
			for (const tile of tiles) {
			  const name = tile.querySelector('.name');
			  const r = name.getBoundingClientRect();
			  const inset = 2;
			  const points = [[r.left + inset, r.top + inset], [r.right - inset, r.top + inset], [r.left + inset, r.bottom - inset],
			    [r.right - inset, r.bottom - inset], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
			  for (const [x, y] of points) {
			    const hit = document.elementFromPoint(x, y);
			    if (!hit || !(hit === name || name.contains(hit))) {
			      covered.push({ tile: tile.id, name: name.textContent, x: Math.round(x), y: Math.round(y),
			        by: hit ? (hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') + (hit.className && typeof hit.className === 'string' ? '.' + hit.className.trim().replace(/\\s+/g, '.') : '')) : 'nothing (outside the viewport)' });
			      break;
			    }
			  }
			}

			// ---- sideways scrolling
			const scrollWidth = document.scrollingElement.scrollWidth;

			// ---- contrast of every visible, enabled control
			const parse = c => {
			  let m = /^rgba?\\(([^)]+)\\)$/.exec(c);
			  if (m) { const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
			  m = /^color\\(srgb ([^)]+)\\)$/.exec(c);
			  if (m) { const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number); return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1]; }
			  return null;
			};
			const over = (fg, bg) => { const a = fg[3]; return [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a)).concat(1); };
			const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
			  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
			const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
			const canvas = parse(getComputedStyle(document.documentElement).backgroundColor);
			const background = el => {
			  const layers = [];
			  for (let at = el; at; at = at.parentElement) {
			    const c = parse(getComputedStyle(at).backgroundColor);
			    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
			  }
			  let bg = canvas && canvas[3] >= 1 ? canvas : [255, 255, 255, 1];
			  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
			  return bg;
			};
			const opacityOf = el => { let o = 1; for (let at = el; at; at = at.parentElement) o *= Number(getComputedStyle(at).opacity); return o; };
			const controls = [...document.querySelectorAll('button, select, input:not([type=hidden]), textarea, a[href]')];
			const measured = [];
			let disabled = 0;
			for (const el of controls) {
			  const r = el.getBoundingClientRect();
			  const style = getComputedStyle(el);
			  if (r.width < 4 || r.height < 4 || style.visibility !== 'visible' || el.closest('[hidden]')) continue;
			  if (r.right <= 0 || r.bottom <= 0 || r.left >= W || r.top >= H) continue;
			  if (el.disabled) { disabled++; continue; }
			  const fg = parse(style.color);
			  const bg = background(el);
			  const text = over([fg[0], fg[1], fg[2], fg[3] * opacityOf(el)], bg);
			  const label = el.id ? '#' + el.id : (el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.tagName);
			  measured.push({ control: el.tagName.toLowerCase() + ' ' + label, ratio: Math.round(ratio(text, bg) * 100) / 100,
			    color: style.color, background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + ')' });
			}
			measured.sort((a, b) => a.ratio - b.ratio);
			return { ok: true, share, tileArea: Math.round(tileArea), below: W * (H - top), headerBottom: Math.round(top),
			  innerWidth: W, innerHeight: H, scrollWidth, covered, controls: measured.length, disabled,
			  lowest: measured.slice(0, 3), failing: measured.filter(m => m.ratio < args[2]), boxes: boxes(),
			  dark: matchMedia('(prefers-color-scheme: dark)').matches };
			""";

	@Override
	protected LoopbackBrowsers browsers() {
		return browsers;
	}

	@Test
	void tilesFillTheScreenNamesShowAndControlsContrastInBothThemes() {
		long started = System.currentTimeMillis();
		BrowserCalls.RoomPages room = BrowserCalls.openRoom(browsers, this.base, "layout", "ada", "bob", "cy");
		Browser ada = room.page("ada");
		List<Browser> everyone = room.pages();
		BrowserCalls.joinInTurnAgreeing(everyone, BrowserCalls.server(this.db, this.base, ada, room.slug()), CALL_UP_TIMEOUT);
		BrowserCalls.awaitCallEverywhere(everyone, CALL_UP_TIMEOUT);
		System.out.println("[confab-e2e] three in the call after " + (System.currentTimeMillis() - started) + " ms");

		HasCdp cdp = (HasCdp) new Augmenter().augment(ada.driver());
		List<String> problems = new ArrayList<>();
		double lowestShare = 1;
		double lowestContrast = Double.MAX_VALUE;
		try {
			for (Viewport viewport : VIEWPORTS) {
				cdp.executeCdpCommand("Emulation.setDeviceMetricsOverride",
						Map.of("width", viewport.width(), "height", viewport.height(), "deviceScaleFactor",
								viewport.scale(), "mobile", viewport.mobile()));
				for (String theme : List.of("light", "dark")) {
					cdp.executeCdpCommand("Emulation.setEmulatedMedia",
							Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", theme))));
					String what = viewport.name() + ", " + theme;
					Map<String, Object> m = ada.callForMap(MEASURE, 3, SETTLE_TIMEOUT.toMillis(), MIN_CONTRAST);
					if (!Boolean.TRUE.equals(m.get("ok"))) {
						problems.add(what + ": " + m);
						continue;
					}
					double share = ((Number) m.get("share")).doubleValue();
					@SuppressWarnings("unchecked")
					List<Map<String, Object>> lowest = (List<Map<String, Object>>) m.get("lowest");
					double minContrast = lowest.isEmpty() ? Double.NaN : ((Number) lowest.get(0).get("ratio")).doubleValue();
					lowestShare = Math.min(lowestShare, share);
					lowestContrast = Math.min(lowestContrast, minContrast);
					System.out.printf("[confab-e2e] %s: tiles cover %.1f %% of the %d px² below the header (bottom at %s px),"
							+ " scrollWidth %s of %s, %s controls measured (%s disabled left out), lowest contrast %s; tiles %s%n",
							what, share * 100, ((Number) m.get("below")).longValue(), m.get("headerBottom"), m.get("scrollWidth"),
							m.get("innerWidth"), m.get("controls"), m.get("disabled"), lowest, m.get("boxes"));
					if (theme.equals("dark") != Boolean.TRUE.equals(m.get("dark"))) {
						problems.add(what + ": the page's prefers-color-scheme did not follow the emulation");
					}
					if (share < MIN_TILE_SHARE) {
						problems.add(what + ": tiles cover " + Math.round(share * 1000) / 10.0 + " % of the area below the header, less than "
								+ Math.round(MIN_TILE_SHARE * 100) + " %");
					}
					if (!((List<?>) m.get("covered")).isEmpty()) {
						problems.add(what + ": names covered: " + m.get("covered"));
					}
					if (((Number) m.get("scrollWidth")).intValue() > ((Number) m.get("innerWidth")).intValue()) {
						problems.add(what + ": scrolls sideways: scrollWidth " + m.get("scrollWidth") + " > " + m.get("innerWidth"));
					}
					if (!((List<?>) m.get("failing")).isEmpty()) {
						problems.add(what + ": controls below " + MIN_CONTRAST + ":1: " + m.get("failing"));
					}
				}
			}
		}
		finally {
			cdp.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
			cdp.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
		}
		System.out.printf("[confab-e2e] layout test done in %d ms: lowest tile share %.1f %%, lowest control contrast %.2f:1%n",
				System.currentTimeMillis() - started, lowestShare * 100, lowestContrast);
		assertThat(problems).as("layout problems on ada's page").isEmpty();
	}

}
