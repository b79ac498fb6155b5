package dev.confab.scale;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.confab.e2e.Browser;
import dev.confab.e2e.LoopbackBrowsers;
import dev.confab.e2e.ThreeWayCallBrowserTest;
import dev.confab.e2e.Waits;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.TestNginx;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three headless Chromium participants in the loopback-only namespace, reaching two instances only
 * through nginx (configured by infra/local/nginx-conf, no sticky sessions): everyone sees and
 * hears everyone, although their STOMP sessions sit on different instances.
 */
class BrowserThroughNginxIT {

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(60);

	@RegisterExtension
	@Order(1)
	static final ConfabCluster cluster = new ConfabCluster();

	@RegisterExtension
	@Order(2)
	static final LoopbackBrowsers browsers = new LoopbackBrowsers();

	static List<ConfabInstance> instances;

	static TestNginx nginx;

	@BeforeAll
	static void startInstancesBehindNginx() {
		// Behind a proxy the instances take scheme and host from its headers, so the browser's Origin matches.
		instances = cluster.start(Map.of("SERVER_FORWARD_HEADERS_STRATEGY", "native"), "a", "b");
		nginx = TestNginx.start(cluster.logDir().resolve(cluster.testName() + "-nginx"),
				instances.stream().map(i -> "127.0.0.1:" + i.port()).toList());
	}

	@AfterAll
	static void stopNginx() {
		if (nginx != null) {
			nginx.close();
		}
	}

	@Test
	void threeBrowsersOnTwoInstancesBehindNginxSeeEachOther() {
		browsers.exposeHostPort(nginx.port());
		String base = "http://localhost:" + nginx.port();
		Browser ada = browsers.open("ada").logIn(base, "ada", "Tess ada");
		Browser bob = browsers.open("bob").logIn(base, "bob", "Tess bob");
		Browser cy = browsers.open("cy").logIn(base, "cy", "Tess cy");

		ada.type("#room-name", "Behind nginx").click("#create-room-submit");
		String roomUrl = ada.await("lands on /rooms/<slug> after creating the room", Browser.DEFAULT_TIMEOUT,
				ada::currentUrl, url -> URI.create(url).getPath().matches("/rooms/[^/]+"));
		String slug = URI.create(roomUrl).getPath().substring("/rooms/".length());
		bob.open(roomUrl);
		cy.open(roomUrl);

		List<Browser> joined = List.of(ada, bob, cy);
		for (int i = 0; i < joined.size(); i++) {
			Browser browser = joined.get(i);
			browser.click("button#join");
			int already = i;
			browser.await(already + " remote tile(s) after joining", CALL_UP_TIMEOUT, () -> browser.count("#tiles .tile.remote"),
					n -> n == already);
		}

		// nginx balances least_conn: with every socket on one instance, the next one goes to the other.
		// Three sockets in a row land on one instance only when other requests were in flight
		// meanwhile; then cy reconnects (a reload) once, as a user would, and that one moves.
		List<Map<String, Object>> placed = placement(slug);
		for (int reload = 1; reload <= 2 && distinctInstances(placed) < 2; reload++) {
			System.out.println("[confab-it] all participants on one instance; cy reloads (" + reload + "): " + placed);
			cy.open(roomUrl).click("button#join");
			List<Map<String, Object>> before = placed;
			placed = Waits.until("cy back in the call after reloading", CALL_UP_TIMEOUT, () -> placement(slug),
					rows -> rows.size() == 3 && !rows.equals(before));
		}
		System.out.println("[confab-it] participants behind nginx: " + placed);
		assertThat(placed).extracting(row -> row.get("screen_name")).containsExactlyInAnyOrder("ada", "bob", "cy");
		assertThat(placed).allSatisfy(row -> assertThat(row.get("live")).as("a live instance holds %s", row).isNotNull());
		assertThat(distinctInstances(placed)).as("instances holding the three participants: %s", placed).isEqualTo(2);

		for (Browser browser : joined) {
			List<String> others = joined.stream().filter(b -> b != browser).map(Browser::name).toList();
			ThreeWayCallBrowserTest.awaitCall(browser, others, CALL_UP_TIMEOUT);
		}
	}

	/** Who is in the call and on which instance (and whether that instance is alive in the instances table). */
	private static List<Map<String, Object>> placement(String slug) {
		return cluster.database().query("SELECT p.id, p.screen_name, p.instance_id, i.id AS live FROM participants p"
				+ " LEFT JOIN instances i ON i.id = p.instance_id WHERE p.room_slug = ? ORDER BY p.joined_at", slug);
	}

	private static long distinctInstances(List<Map<String, Object>> placed) {
		return placed.stream().map(row -> row.get("instance_id")).distinct().count();
	}

}
