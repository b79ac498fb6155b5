package dev.confab.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.confab.ConfabApplication;

import static dev.confab.e2e.ThreeWayCallBrowserTest.CALL_STATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two participants in a relay-only room, through a real coturn (Debian's, with
 * coturn/turnserver-loopback.conf) inside the browsers' loopback-only namespace. Confab mints
 * their TURN credentials; the call works only if coturn accepts them and relays the media: the
 * selected candidate pair is relay/relay on both sides, and video frames are decoded.
 */
@SpringBootTest(classes = ConfabApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RelayOnlyCallBrowserTest {

	@RegisterExtension
	static final LoopbackBrowsers browsers = new LoopbackBrowsers();

	private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

	private static final Path LOOPBACK_CONFIG = Path.of("..", "coturn", "turnserver-loopback.conf").toAbsolutePath().normalize();

	/** Inside the namespace every port is free; this one only has to be stable before the app starts. */
	private static final int TURN_PORT = 40000 + ThreadLocalRandom.current().nextInt(5000);

	private static final String SECRET = HexFormat.of().formatHex(randomBytes());

	private static final Duration CALL_UP_TIMEOUT = Duration.ofSeconds(45);

	@DynamicPropertySource
	static void iceServers(DynamicPropertyRegistry registry) {
		registry.add("confab.ice.turn-urls", () -> "turn:127.0.0.1:" + TURN_PORT + "?transport=udp");
		registry.add("confab.ice.turn-secrets", () -> SECRET);
		// The shortest lifetime Confab allows: the clients refresh at 15 s, during the call.
		registry.add("confab.ice.credential-lifetime", () -> "20s");
	}

	@LocalServerPort
	private int port;

	private Process coturn;

	private Path coturnLog;

	private Path runDir;

	@BeforeEach
	void startCoturnInTheNamespace() throws Exception {
		if (!Files.isExecutable(TURNSERVER)) {
			E2ePrerequisites.unavailable("coturn's " + TURNSERVER + " is missing (apt-get install -y coturn)");
		}
		browsers.exposeHostPort(this.port);
		// The loopback configuration plus the secret, in a file only we can read: never on a command line or in a log.
		Path run = Files.createTempDirectory("confab-coturn-");
		Path config = run.resolve("turnserver.conf");
		Files.writeString(config, Files.readString(LOOPBACK_CONFIG) + "\nstatic-auth-secret=" + SECRET + "\n");
		Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
		this.coturnLog = browsers.network().logDir().resolve("coturn.log");
		this.coturn = browsers.network().startInNamespace("coturn", List.of(TURNSERVER.toString(),
				"-c", config.toString(), "--listening-port=" + TURN_PORT, "--pidfile=" + run.resolve("turnserver.pid")));
		this.runDir = run;
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (!browsers.network().exec("ss", "-lnu").output().contains(":" + TURN_PORT)) {
			assertThat(this.coturn.isAlive()).as("coturn running; see " + this.coturnLog).isTrue();
			assertThat(System.nanoTime()).as("coturn listening on UDP " + TURN_PORT + " in time").isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	@AfterEach
	void stopCoturn() {
		if (this.coturn != null) {
			this.coturn.destroy();
		}
		if (this.runDir != null) {
			org.springframework.util.FileSystemUtils.deleteRecursively(this.runDir.toFile());
		}
	}

	@Test
	void twoPeopleInARelayOnlyRoomTalkThroughCoturn() throws IOException {
		String base = "http://localhost:" + this.port;
		Browser ada = browsers.open("ada").logIn(base, "ada", "Ada Lovelace");
		Browser bob = browsers.open("bob").logIn(base, "bob", "Bob Kahn");

		String roomName = "relay " + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		ada.type("#room-name", roomName).click("#relay-only").click("#create-room-submit");
		String roomUrl = ada.await("lands on the new room", Browser.DEFAULT_TIMEOUT, ada::currentUrl,
				url -> URI.create(url).getPath().matches("/rooms/[^/]+"));
		bob.open(roomUrl);

		ada.click("button#join");
		ada.await("ada alone in the call", CALL_UP_TIMEOUT, () -> ada.count("body[data-call='in']"), n -> n == 1);
		bob.click("button#join");
		for (Browser browser : List.of(ada, bob)) {
			String other = browser == ada ? "bob" : "ada";
			ThreeWayCallBrowserTest.awaitCall(browser, List.of(other), CALL_UP_TIMEOUT);
			Map<String, Object> path = browser.awaitScript("the only peer uses the relay policy and a relay/relay pair",
					Duration.ofSeconds(10), CALL_STATE + """
							const { out } = await callState();
							const [id] = out.peerIds;
							const pc = id ? mesh.peers.get(id).pc : null;
							const policy = pc ? pc.getConfiguration().iceTransportPolicy : null;
							const pair = id ? out.peers[id].pair : null;
							out.policy = policy;
							out.ok = out.peerIds.length === 1 && policy === 'relay'
							  && !!pair && /^relay \\S+ <-> relay \\S+$/.test(pair);
							return out;
							""");
			assertThat(path).containsEntry("ok", true);
		}
		// The credential is refreshed before it expires and applied without disturbing the call.
		for (Browser browser : List.of(ada, bob)) {
			String first = (String) browser.call("""
					const [peer] = window.confab.mesh.peers.values();
					return peer.pc.getConfiguration().iceServers.map(s => s.username).find(u => !!u) || null;
					""");
			assertThat(first).as(browser.name() + "'s TURN username").matches("\\d+:[A-Za-z0-9_-]{22}");
			browser.awaitScript("a fresh TURN credential on the open peer connection", Duration.ofSeconds(30), """
					const [peer] = window.confab.mesh.peers.values();
					const now = peer.pc.getConfiguration().iceServers.map(s => s.username).find(u => !!u) || null;
					return { ok: !!now && now !== args[0], now };
					""", first);
			String other = browser == ada ? "bob" : "ada";
			ThreeWayCallBrowserTest.awaitCall(browser, List.of(other), Duration.ofSeconds(10));
		}
		String log = Files.readString(this.coturnLog);
		assertThat(log).as("coturn allocated relays for Confab's credentials").contains("ALLOCATE processed, success");
		assertThat(log).doesNotContain(SECRET);
	}


	private static byte[] randomBytes() {
		byte[] bytes = new byte[24];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}
}
