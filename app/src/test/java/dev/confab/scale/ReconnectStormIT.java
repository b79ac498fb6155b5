package dev.confab.scale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.scale.AsyncStompSocket.Frame;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reconnect storm of a rolling deploy (issue 7): 500 STOMP sessions in 100 calls of five, all
 * on instance a; a is stopped with SIGTERM. It must report readiness 503, refuse new sockets with
 * 503, tell its clients "Server shutting down; reconnect." spread over the drain period (3 s) and
 * exit within the shutdown phase timeout. Every client reconnects at once to instance b and resumes
 * with its id and secret: all 500 come back as the same participants, nobody is told
 * {@code disconnected} (nor {@code other} or {@code renew}: every pair stays live), presence ends up
 * on b with nobody away, and b's readiness stays 200 throughout. Prints p50 / p99 of the time from
 * the ERROR to {@code resumed}.
 *
 * The clients are the JDK's WebSocket on a few shared threads ({@link AsyncStompSocket}): five
 * sockets per user (the cap is eight per user and instance), 100 users.
 */
class ReconnectStormIT {

	private static final int ROOMS = 100;

	private static final int PER_ROOM = 5;

	private static final int SESSIONS = ROOMS * PER_ROOM;

	/** Each user holds five sessions, one in each of five calls. */
	private static final int USERS = 100;

	/** Joins in flight at once while the calls fill up. */
	private static final int JOINING_AT_ONCE = 40;

	private static final String SHUTTING_DOWN = "Server shutting down; reconnect.";

	/** confab.stomp.drain-period of instance a: the default, 3 s; {@code -Dconfab.it.storm-drain-seconds=N} to measure others. */
	private static final Duration DRAIN_PERIOD = Duration.ofSeconds(Integer.getInteger("confab.it.storm-drain-seconds", 3));

	/** Spring Boot's default spring.lifecycle.timeout-per-shutdown-phase. */
	private static final Duration SHUTDOWN_PHASE = Duration.ofSeconds(30);

	/** From SIGTERM until every client must have resumed on b. */
	private static final Duration ALL_RESUMED_WITHIN = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	@Test
	@Timeout(value = 6, unit = TimeUnit.MINUTES)
	void fiveHundredSessionsOfAStoppingInstanceResumeOnTheOtherAndNoneIsLost() throws Exception {
		List<ConfabInstance> started = cluster.start(Map.of("CONFAB_STOMP_DRAIN_PERIOD", DRAIN_PERIOD.toSeconds() + "s"),
				"a", "b");
		ConfabInstance a = started.get(0);
		ConfabInstance b = started.get(1);

		HttpLogin login = new HttpLogin(b.baseUrl());
		List<String> cookies = new ArrayList<>();
		for (int u = 0; u < USERS; u++) {
			cookies.add(login.login("storm" + u));
		}
		List<String> rooms = new ArrayList<>();
		for (int r = 0; r < ROOMS; r++) {
			rooms.add(login.createRoom(cookies.get(r % USERS), "Storm " + r));
		}

		ExecutorService callbacks = Executors.newFixedThreadPool(4, daemon("storm-client-"));
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("storm-timer-"));
		List<HttpClient> https = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			https.add(HttpClient.newBuilder().executor(callbacks).connectTimeout(Duration.ofSeconds(10)).build());
		}
		List<Client> clients = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			clients.add(new Client(i, cookies.get(i % USERS), rooms.get(i / PER_ROOM), https.get(i % https.size()), timer,
					b.port()));
		}
		Thread monitor = null;
		AtomicBoolean monitoring = new AtomicBoolean(true);
		try {
			// 1. Fill the calls on a.
			long joinStart = System.nanoTime();
			Semaphore joining = new Semaphore(JOINING_AT_ONCE);
			for (Client client : clients) {
				joining.acquire();
				client.join(a.port()).whenComplete((done, failure) -> joining.release());
			}
			CompletableFuture.allOf(clients.stream().map(c -> c.joined.exceptionally(failure -> null))
					.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
			List<String> joinFailures = clients.stream().filter(c -> c.joined.isCompletedExceptionally())
					.map(c -> "session " + c.index + ": " + c.joined.handle((x, ex) -> ex.getMessage()).join()).toList();
			assertThat(joinFailures).as("sessions that could not join on a").isEmpty();
			System.out.println("[confab-it] " + SESSIONS + " sessions joined " + ROOMS + " calls on a in "
					+ Duration.ofNanos(System.nanoTime() - joinStart).toMillis() + " ms");
			for (int r = 0; r < ROOMS; r++) {
				List<Client> call = clients.subList(r * PER_ROOM, (r + 1) * PER_ROOM);
				for (Client client : call) {
					Map<String, Integer> peers = new LinkedHashMap<>();
					call.stream().filter(other -> other != client).forEach(other -> peers.put(other.id, 0));
					assertThat(peers).as("distinct participant ids in call %s", r).hasSize(PER_ROOM - 1);
					client.peers = peers;
				}
			}
			List<String> instancesBefore = cluster.database().queryForStrings("SELECT DISTINCT instance_id FROM participants");
			assertThat(instancesBefore).as("everyone is on a").hasSize(1);
			String instanceA = instancesBefore.get(0);
			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants")).isEqualTo(SESSIONS);
			clients.forEach(Client::startStorm);

			// 2. Watch both readiness endpoints while a stops.
			Queue<long[]> readinessOfA = new ConcurrentLinkedQueue<>();
			Queue<Integer> readinessOfB = new ConcurrentLinkedQueue<>();
			HttpClient probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			monitor = new Thread(() -> {
				while (monitoring.get()) {
					long sent = System.nanoTime();
					readinessOfA.add(new long[] {sent, readiness(probes, a)});
					readinessOfB.add(readiness(probes, b));
					sleep(200);
				}
			}, "storm-readiness");
			monitor.setDaemon(true);
			monitor.start();

			// 3. SIGTERM.
			System.out.println("[confab-it] SIGTERM to a (pid " + a.pid() + "); b is pid " + b.pid());
			long sigterm = System.nanoTime();
			CompletableFuture<ConfabInstance.Stopped> stopping = CompletableFuture.supplyAsync(() -> cluster.stop("a"));

			await("the first ERROR from a").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
					.until(() -> clients.stream().anyMatch(c -> c.leftAAt.get() != 0));
			long firstError = clients.stream().mapToLong(c -> c.leftAAt.get()).filter(t -> t != 0).min().orElseThrow();
			int handshakeWhileDraining = handshakeStatus(https.get(0), a.port(), cookies.get(0));
			assertThat(handshakeWhileDraining).as("a new WebSocket handshake on a while it drains").isEqualTo(503);

			// Not Awaitility here: when some never resume, the summary below says where each one got stuck.
			long resumeDeadline = sigterm + ALL_RESUMED_WITHIN.toNanos();
			while (System.nanoTime() < resumeDeadline && !clients.stream().allMatch(c -> c.resumed.isDone())) {
				Thread.sleep(50);
			}
			long allResumed = System.nanoTime();

			ConfabInstance.Stopped stopped = stopping.get(SHUTDOWN_PHASE.toSeconds() + 20, TimeUnit.SECONDS);
			// (ConfabInstance kills an instance that has not ended 20 s after SIGTERM and says so: forced)
			System.out.println("[confab-it] a stopped after SIGTERM: " + stopped);

			// Anything late (a second disconnected, a late refusal) would show within this window.
			Thread.sleep(3000);
			monitoring.set(false);
			monitor.join(10_000);

			// --- what happened
			List<String> resumeFailures = clients.stream().filter(c -> !c.resumed.isDone() || c.resumed.isCompletedExceptionally())
					.map(c -> "session " + c.index + ": " + (c.resumed.isDone()
							? c.resumed.handle((x, ex) -> ex.getMessage()).join()
							: "not resumed within " + ALL_RESUMED_WITHIN.toSeconds() + " s of SIGTERM, " + c.stage()))
					.toList();
			List<Long> errorTimes = new ArrayList<>();
			List<Long> latencies = new ArrayList<>();
			int withoutError = 0;
			int retries = 0;
			for (Client client : clients) {
				retries += client.retries.get();
				if (client.errorMessage == null) {
					withoutError++;
				}
				else {
					errorTimes.add(client.leftAAt.get());
				}
				if (client.resumedAt != 0) {
					latencies.add(client.resumedAt - client.leftAAt.get());
				}
			}
			Collections.sort(latencies);
			Collections.sort(errorTimes);
			Map<String, List<Long>> phases = new LinkedHashMap<>();
			for (Client client : clients) {
				if (client.resumedAt != 0) {
					phases.computeIfAbsent("ERROR to socket open on b", k -> new ArrayList<>())
							.add(client.openedBAt - client.leftAAt.get());
					phases.computeIfAbsent("open to CONNECTED", k -> new ArrayList<>())
							.add(client.connectedBAt - client.openedBAt);
					phases.computeIfAbsent("CONNECTED to queue RECEIPT", k -> new ArrayList<>())
							.add(client.subscribedBAt - client.connectedBAt);
					phases.computeIfAbsent("SEND resume to resumed", k -> new ArrayList<>())
							.add(client.resumedAt - client.subscribedBAt);
				}
			}
			StringBuilder phaseText = new StringBuilder();
			phases.forEach((phase, times) -> {
				Collections.sort(times);
				phaseText.append("; ").append(phase).append(": p50 ").append(millis(percentile(times, 50)))
						.append(" ms, p99 ").append(millis(percentile(times, 99))).append(" ms");
			});
			System.out.println("[confab-it] reconnect storm phases" + phaseText);
			Map<String, Integer> stormEvents = new java.util.TreeMap<>();
			clients.forEach(c -> c.stormEvents.forEach((type, n) -> stormEvents.merge(type, n.get(), Integer::sum)));
			System.out.println("[confab-it] reconnect storm: " + latencies.size() + "/" + SESSIONS + " resumed on b;"
					+ " time from ERROR to resumed: p50 " + millis(percentile(latencies, 50)) + " ms, p99 "
					+ millis(percentile(latencies, 99)) + " ms, max " + millis(percentile(latencies, 100)) + " ms;"
					+ " SIGTERM to first ERROR " + millis(firstError - sigterm) + " ms, ERRORs spread over "
					+ (errorTimes.isEmpty() ? "-" : millis(errorTimes.get(errorTimes.size() - 1) - errorTimes.get(0)))
					+ " ms, SIGTERM to all resumed " + millis(allResumed - sigterm) + " ms; a exited after "
					+ stopped.took().toMillis() + " ms (code " + stopped.exitCode() + ", forced " + stopped.forced()
					+ "); sockets closed without ERROR " + withoutError + ", reconnect retries " + retries
					+ "; events while moving " + stormEvents);

			assertThat(resumeFailures).as("sessions that did not resume").isEmpty();
			assertThat(latencies).hasSize(SESSIONS);
			List<String> problems = clients.stream().flatMap(c -> c.problems.stream().map(p -> c.index + ": " + p)).toList();
			assertThat(problems).as("protocol problems seen by the clients").isEmpty();
			assertThat(clients).allSatisfy(c -> assertThat(c.errorMessage).as("ERROR to session %s", c.index)
					.isEqualTo(SHUTTING_DOWN));
			assertThat(clients).allSatisfy(c -> assertThat(c.resumedId).as("resumed id of session %s", c.index)
					.isEqualTo(c.id));
			assertThat(stormEvents).as("events during the move").doesNotContainKeys("disconnected", "other", "renew",
					"connect", "others");
			assertThat(Duration.ofNanos(errorTimes.get(errorTimes.size() - 1) - errorTimes.get(0)))
					.as("the ERRORs are spread over the drain period (%s), not sent at once", DRAIN_PERIOD)
					.isGreaterThanOrEqualTo(DRAIN_PERIOD.dividedBy(2))
					.isLessThanOrEqualTo(DRAIN_PERIOD.plusSeconds(5));

			assertThat(stopped.forced()).as("a had to be killed").isFalse();
			assertThat(stopped.took()).as("SIGTERM to exit").isLessThanOrEqualTo(SHUTDOWN_PHASE);
			assertThat(a.isAlive()).isFalse();
			assertThat(stopped.exitCode()).as("exit code of a").isNotEqualTo(137);

			assertThat(readinessOfB).as("readiness of b, asked every 200 ms (-1: no answer within 10 s)").isNotEmpty().containsOnly(200);
			assertThat(readinessOfA.stream().filter(probe -> probe[0] > firstError).map(probe -> (int) probe[1]).toList())
					.as("readiness of a once it started draining").doesNotContain(200);

			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants")).isEqualTo(SESSIONS);
			List<String> instancesAfter = cluster.database().queryForStrings("SELECT DISTINCT instance_id FROM participants");
			assertThat(instancesAfter).as("everyone is on b now").hasSize(1).doesNotContain(instanceA);
			assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants WHERE away_until IS NOT NULL"))
					.as("participants still away").isZero();
			Map<String, String> roomOf = new java.util.HashMap<>();
			cluster.database().query("SELECT id, room_slug FROM participants")
					.forEach(row -> roomOf.put((String) row.get("id"), (String) row.get("room_slug")));
			assertThat(clients).allSatisfy(c -> assertThat(roomOf.get(c.id)).as("the call of session %s", c.index)
					.isEqualTo(c.room));
		}
		finally {
			monitoring.set(false);
			clients.forEach(Client::abort);
			timer.shutdownNow();
			callbacks.shutdownNow();
		}
	}

	/**
	 * {@code GET /actuator/health/readiness} on the management port: the status, or -1 without an
	 * answer within 10 s (a load balancer's probe waits a few seconds; on two busy cores an answer
	 * may take a while, but not that long).
	 */
	private static int readiness(HttpClient http, ConfabInstance instance) {
		try {
			return http.send(java.net.http.HttpRequest.newBuilder(URI.create(instance.managementUrl() + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (java.io.IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/** The HTTP status of a WebSocket handshake on that port: 101 when accepted (then closed at once). */
	private static int handshakeStatus(HttpClient http, int port, String cookie) throws InterruptedException {
		try {
			WebSocket socket = http.newWebSocketBuilder().subprotocols("v12.stomp").header("Cookie", cookie)
					.header("Origin", "http://localhost:" + port).connectTimeout(Duration.ofSeconds(5))
					.buildAsync(URI.create("ws://localhost:" + port + "/stomp"), new WebSocket.Listener() {
					}).get(10, TimeUnit.SECONDS);
			socket.abort();
			return 101;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw new AssertionError("The handshake on port " + port + " failed without an HTTP answer", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("No answer to a handshake on port " + port + " within 10 s", ex);
		}
	}

	/**
	 * One session of the storm: joins on a, then, told to reconnect (or dropped), reconnects to b at
	 * once and resumes. Driven entirely by frame callbacks.
	 */
	private static final class Client {

		final int index;

		final String cookie;

		final String room;

		final HttpClient http;

		final ScheduledExecutorService timer;

		final int portB;

		final CompletableFuture<Void> joined = new CompletableFuture<>();

		final CompletableFuture<Void> resumed = new CompletableFuture<>();

		final AtomicLong leftAAt = new AtomicLong();

		final AtomicInteger retries = new AtomicInteger();

		final Map<String, AtomicInteger> stormEvents = new ConcurrentHashMap<>();

		final Queue<String> problems = new ConcurrentLinkedQueue<>();

		volatile boolean storm;

		volatile String id;

		volatile String secret;

		volatile Map<String, Integer> peers = Map.of();

		volatile String errorMessage;

		volatile String resumedId;

		volatile long resumedAt;

		/** When the socket on b opened, CONNECTED came, the personal queue was confirmed. */
		volatile long openedBAt;

		volatile long connectedBAt;

		volatile long subscribedBAt;

		volatile AsyncStompSocket onA;

		volatile AsyncStompSocket onB;

		Client(int index, String cookie, String room, HttpClient http, ScheduledExecutorService timer, int portB) {
			this.index = index;
			this.cookie = cookie;
			this.room = room;
			this.http = http;
			this.timer = timer;
			this.portB = portB;
		}

		CompletableFuture<Void> join(int portA) {
			AsyncStompSocket.open(this.http, portA, this.cookie, this::onFrameA, this::onCloseA)
					.whenComplete((socket, failure) -> {
						if (failure != null) {
							this.joined.completeExceptionally(new AssertionError("no socket on a: " + failure));
						}
						else {
							this.onA = socket;
						}
					});
			return this.joined.orTimeout(60, TimeUnit.SECONDS);
		}

		void startStorm() {
			this.storm = true;
		}

		/** How far the move got, for a session that did not make it. */
		String stage() {
			if (this.leftAAt.get() == 0) {
				return "never told to leave a";
			}
			if (this.openedBAt == 0) {
				return "no socket on b (" + this.retries.get() + " retries)";
			}
			if (this.connectedBAt == 0) {
				return "no CONNECTED on b";
			}
			if (this.subscribedBAt == 0) {
				return "no RECEIPT for the personal queue on b";
			}
			return "no resumed on b";
		}

		private void onFrameA(AsyncStompSocket socket, Frame frame) {
			switch (frame.command()) {
				case "CONNECTED" -> socket.subscribe("0", "/user/queue/events", "events");
				case "RECEIPT" -> {
					if ("events".equals(frame.header("receipt-id"))) {
						socket.sendJson("/app/room/" + this.room + "/join", "{}");
					}
					else if ("room".equals(frame.header("receipt-id"))) {
						this.joined.complete(null);
					}
				}
				case "MESSAGE" -> {
					JsonNode rtc = rtc(frame);
					if (rtc == null) {
						return;
					}
					String type = rtc.path("type").asString();
					if (!this.joined.isDone() && "connect".equals(type)) {
						this.id = rtc.get("id").asString();
						this.secret = rtc.get("secret").asString();
					}
					else if (!this.joined.isDone() && "others".equals(type)) {
						socket.subscribe("1", "/topic/room." + this.room, "room");
					}
					countIfMoving(type);
				}
				case "ERROR" -> {
					if (!this.joined.isDone()) {
						this.joined.completeExceptionally(new AssertionError("ERROR while joining: " + frame.header("message")));
					}
					else if (this.leftAAt.compareAndSet(0, System.nanoTime())) {
						this.errorMessage = frame.header("message");
						reconnect();
					}
				}
				default -> this.problems.add("unexpected frame on a: " + frame.command());
			}
		}

		private void onCloseA(int code, Throwable error) {
			if (!this.joined.isDone()) {
				this.joined.completeExceptionally(new AssertionError("socket on a closed (" + code + ", " + error
						+ ") while joining"));
			}
			else if (this.leftAAt.compareAndSet(0, System.nanoTime())) {
				// Closed without an ERROR: still reconnect, as a browser would; the test counts these.
				reconnect();
			}
		}

		private void reconnect() {
			AsyncStompSocket.open(this.http, this.portB, this.cookie, this::onFrameB, this::onCloseB)
					.whenComplete((socket, failure) -> {
						if (failure == null) {
							this.openedBAt = System.nanoTime();
							this.onB = socket;
						}
						else if (this.retries.incrementAndGet() <= 10) {
							// the browser's back-off: first retries quickly, jittered
							this.timer.schedule(this::reconnect, 100 + (long) (Math.random() * 200), TimeUnit.MILLISECONDS);
						}
						else {
							this.resumed.completeExceptionally(new AssertionError("no socket on b after 10 tries: " + failure));
						}
					});
		}

		private void onFrameB(AsyncStompSocket socket, Frame frame) {
			switch (frame.command()) {
				case "CONNECTED" -> {
					this.connectedBAt = System.nanoTime();
					socket.subscribe("0", "/user/queue/events", "events");
				}
				case "RECEIPT" -> {
					if ("events".equals(frame.header("receipt-id"))) {
						this.subscribedBAt = System.nanoTime();
						socket.sendJson("/app/resume", resumeBody());
					}
				}
				case "MESSAGE" -> {
					JsonNode rtc = rtc(frame);
					if (rtc == null) {
						return;
					}
					String type = rtc.path("type").asString();
					if ("resumed".equals(type)) {
						if (this.resumed.isDone()) {
							this.problems.add("a second resumed");
							return;
						}
						this.resumedAt = System.nanoTime();
						this.resumedId = rtc.path("id").asString();
						JsonNode others = rtc.get("others");
						if (others == null || others.size() != PER_ROOM - 1) {
							this.problems.add("resumed lists " + others);
						}
						else {
							others.forEach(other -> {
								if (!other.path("live").asBoolean()) {
									this.problems.add("not live after resume: " + other);
								}
							});
						}
						this.resumed.complete(null);
						socket.subscribe("1", "/topic/room." + this.room, "room");
					}
					countIfMoving(type);
				}
				case "ERROR" -> {
					String message = frame.header("message");
					if (!this.resumed.completeExceptionally(new AssertionError("ERROR on b: " + message))) {
						this.problems.add("ERROR on b after resuming: " + message);
					}
				}
				default -> this.problems.add("unexpected frame on b: " + frame.command());
			}
		}

		private void onCloseB(int code, Throwable error) {
			if (this.resumed.completeExceptionally(new AssertionError("socket on b closed (" + code + ", " + error
					+ ") before resumed"))) {
				return;
			}
			if (!this.aborting) {
				this.problems.add("socket on b closed (" + code + ", " + error + ") after resuming");
			}
		}

		private volatile boolean aborting;

		void abort() {
			this.aborting = true;
			for (AsyncStompSocket socket : new AsyncStompSocket[] {this.onA, this.onB}) {
				if (socket != null) {
					socket.abort();
				}
			}
		}

		private void countIfMoving(String type) {
			if (this.storm) {
				this.stormEvents.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
			}
		}

		private String resumeBody() {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("id", this.id);
			body.put("secret", this.secret);
			body.put("fresh", false);
			body.put("peers", this.peers);
			return JSON.writeValueAsString(body);
		}

		private JsonNode rtc(Frame frame) {
			try {
				return JSON.readTree(frame.body()).get("rtc");
			}
			catch (RuntimeException ex) {
				this.problems.add("not JSON: " + frame.body());
				return null;
			}
		}
	}

	private static long percentile(List<Long> sorted, int p) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger n = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
