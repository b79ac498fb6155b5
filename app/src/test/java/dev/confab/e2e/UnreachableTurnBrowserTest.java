package dev.confab.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.confab.ConfabApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When no connection can be made, each side says so on the other's tile instead of leaving it
 * black: a relay-only room whose TURN server does not answer (nothing listens on its port).
 */
@SpringBootTest(classes = ConfabApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"confab.ice.turn-urls=turn:127.0.0.1:9?transport=udp",
		"confab.ice.turn-secrets=unused-secret"})
class UnreachableTurnBrowserTest {

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers();

	/** The client gives a connection 20 s before it calls it failed. */
	private static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(45);

	@LocalServerPort
	private int port;

	@BeforeEach
	void bridgeTheApp() {
		browsers.exposeHostPort(this.port);
	}

	@Test
	void aConnectionThatCannotBeMadeIsExplainedOnTheTile() {
		String base = "http://localhost:" + this.port;
		Browser ada = browsers.open("ada").logIn(base, "ada", "Ada Lovelace");
		Browser bob = browsers.open("bob").logIn(base, "bob", "Bob Kahn");
		ada.type("#room-name", "dark " + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()))
				.click("#relay-only").click("#create-room-submit");
		String roomUrl = ada.await("lands on the new room", Browser.DEFAULT_TIMEOUT, ada::currentUrl,
				url -> URI.create(url).getPath().matches("/rooms/[^/]+"));
		bob.open(roomUrl);
		ada.click("button#join");
		ada.await("ada in the call", VERDICT_TIMEOUT, () -> ada.count("body[data-call='in']"), n -> n == 1);
		bob.click("button#join");

		for (Browser browser : List.of(ada, bob)) {
			String other = browser == ada ? "bob" : "ada";
			Map<String, Object> tile = browser.awaitScript("a plain message on " + other + "'s tile", VERDICT_TIMEOUT, """
					const tile = document.querySelector('#tiles .tile.remote');
					const note = tile && tile.querySelector('.problem');
					const text = note ? note.textContent.trim() : '';
					return { ok: !!tile && tile.dataset.problem === 'turn-unreachable' && text.includes(args[0]),
					  problem: tile && tile.dataset.problem, text };
					""", other);
			assertThat((String) tile.get("text")).startsWith("Can't connect to " + other).contains("TURN relay did not answer");
		}
	}

}
