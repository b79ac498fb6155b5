package dev.confab.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.confab.support.StompTestClient;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;
import dev.confab.support.services.Ports;

import static dev.confab.scale.CallAssertions.joinAlone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real SIGTERM of the embedded default (issue 8, defect 5). Once readiness says 503, every new
 * WebSocket handshake is refused (503, which nginx retries on another instance; once the drain is
 * over nothing listens), every session it holds is told to reconnect elsewhere, and the process is
 * gone within seconds. Before, a socket opened 150 ms after SIGTERM got 101, CONNECTED and a join, was never
 * told, and held the process up for about 35 s.
 */
class ShutdownDrainIT {

	/** The drain period (3 s), the web server's graceful shutdown of what is left, and slack for two cores. */
	private static final Duration EXIT_BOUND = Duration.ofSeconds(12);

	/** Sessions besides the one in the call: ten, told over the 3 s drain period, 300 ms apart. */
	private static final int LOBBY_SESSIONS = 9;

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	static Path dataDir;

	static ConfabInstance server;

	@BeforeAll
	static void startOneEmbeddedInstance() throws IOException {
		dataDir = Files.createTempDirectory("confab-it-drain-");
		server = ConfabInstance.startEmbedded("drain", Ports.free(), dataDir,
				ConfabInstance.logDir().resolve(ShutdownDrainIT.class.getSimpleName() + ".log"), 0);
	}

	@AfterAll
	static void stopIt() {
		if (server != null) {
			server.stop();
		}
		try (Stream<Path> walk = Files.walk(dataDir)) {
			walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// best effort: a temp folder
		}
	}

	@Test
	void aStoppingInstanceRefusesNewSocketsTellsItsSessionAndExitsSoon() throws Exception {
		HttpLogin login = new HttpLogin(server.baseUrl());
		String aliceCookie = login.login("alice");
		String bobCookie = login.login("bob");
		String room = login.createRoom(aliceCookie, "Drain");
		StompTestClient alice = StompTestClient.connect(server.port(), aliceCookie);
		joinAlone(alice, room, "alice");
		// More sessions, so that the drain (spreading its clients over 3 s) lasts long enough to probe.
		List<StompTestClient> lobby = new ArrayList<>();
		for (int i = 0; i < LOBBY_SESSIONS; i++) {
			lobby.add(StompTestClient.connect(server.port(), login.login("visitor" + i)));
		}
		assertThat(handshake(bobCookie)).as("a handshake before the stop").isEqualTo("101");

		CompletableFuture<ConfabInstance.Stopped> stopping = CompletableFuture.supplyAsync(server::terminate);
		await("readiness refuses after SIGTERM").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
				.until(() -> server.readiness() != 200);

		List<String> answers = new ArrayList<>();
		while (!stopping.isDone() && answers.size() < 30) {
			answers.add(handshake(bobCookie));
			TimeUnit.MILLISECONDS.sleep(100); // pacing the probes, not waiting for anything
		}
		System.out.println("[confab-it] handshakes while the instance stopped: " + answers);
		assertThat(answers).as("handshakes after readiness went 503").contains("503")
				.allSatisfy(answer -> assertThat(answer).isIn("503", "refused"));

		assertThat(alice.awaitError()).as("the session in the call").isEqualTo("Server shutting down; reconnect.");
		for (StompTestClient visitor : lobby) {
			assertThat(visitor.awaitError()).as("a session in no call").isEqualTo("Server shutting down; reconnect.");
		}
		ConfabInstance.Stopped stopped = stopping.get(30, TimeUnit.SECONDS);
		System.out.println("[confab-it] SIGTERM to exit: " + stopped.took().toMillis() + " ms");
		assertThat(stopped.forced()).as("ended by itself").isFalse();
		assertThat(stopped.took()).as("SIGTERM to exit").isLessThan(EXIT_BOUND);
	}

	/** A WebSocket handshake to /stomp: "101", the refusing status, or "refused" when nothing listens. */
	private static String handshake(String cookie) throws InterruptedException {
		try {
			WebSocket socket = HTTP.newWebSocketBuilder().header("Cookie", cookie)
					.header("Origin", server.baseUrl())
					.connectTimeout(Duration.ofSeconds(3))
					.buildAsync(URI.create(server.baseUrl().replace("http:", "ws:") + "/stomp"), new WebSocket.Listener() {
					})
					.get(5, TimeUnit.SECONDS);
			socket.abort();
			return "101";
		}
		catch (ExecutionException | CompletionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof WebSocketHandshakeException refused) {
				return Integer.toString(refused.getResponse().statusCode());
			}
			if (cause instanceof ConnectException) {
				return "refused";
			}
			if (cause instanceof IOException) {
				return "closed: " + cause;
			}
			throw new AssertionError("handshake failed unexpectedly", ex);
		}
		catch (TimeoutException ex) {
			return "timed out";
		}
	}
}
