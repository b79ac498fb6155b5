package dev.confab.bench.reconnect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.confab.bench.Driver;
import dev.confab.bench.call.BenchUsers;
import dev.confab.bench.call.CallPeer;
import dev.confab.bench.call.Calls;
import dev.confab.bench.call.Signalling;
import dev.confab.bench.client.ConfabPages;
import dev.confab.bench.lab.Deployment;
import dev.confab.bench.lab.Instance;
import dev.confab.bench.lab.Side;
import dev.confab.bench.lab.Unavailable;
import dev.confab.bench.report.Latencies;

/**
 * Reconnect: calls of six spread over the two relay instances; instance a stops (SIGTERM, or
 * SIGKILL); each of its sessions reconnects to b at once, as the browser does, and resumes its
 * participant (docs/protocol.md, "Resume"). Measures how long until every one resumed. Between
 * rounds a starts again.
 */
public final class ReconnectBenchmark {

	private static final int PER_ROOM = 6;

	private static final int RETRIES = 20;

	private final ReconnectSettings settings;

	private final Driver driver;

	private final Signalling signalling = new Signalling(5000, 3500, 5);

	public ReconnectBenchmark(Driver driver, ReconnectSettings settings) {
		this.settings = settings;
		this.driver = driver;
	}

	public ReconnectResult run() {
		Deployment relay;
		try {
			relay = this.driver.lab().deployment(Side.RELAY);
		}
		catch (Unavailable ex) {
			this.driver.out().println("[reconnect] skipped: " + ex.getMessage());
			return new ReconnectResult(List.of(), ex.getMessage());
		}
		List<ReconnectRow> rows = new ArrayList<>();
		for (int round = 0; round < this.settings.stops().size(); round++) {
			if (round > 0) {
				this.driver.out().println("[reconnect] starting a again");
				relay.restart(0);
			}
			ReconnectRow row = round(relay, this.settings.stops().get(round));
			this.driver.out().printf("[reconnect] %s: %d/%d resumed, since stop p50 %.0f ms, p99 %.0f ms, all in %.0f ms%n", row.stop(),
					row.resumed(), row.moved(), row.sinceStop().p50(), row.sinceStop().p99(), row.allResumedMillis());
			rows.add(row);
		}
		return new ReconnectResult(rows, null);
	}

	private ReconnectRow round(Deployment relay, String stop) {
		Instance a = relay.instance(0);
		Instance b = relay.instance(1);
		List<CallPeer> everyone = fill(relay);
		List<CallPeer> onA = new ArrayList<>();
		for (int n = 0; n < everyone.size(); n++) {
			if (relay.instanceFor(n) == a) {
				onA.add(everyone.get(n));
			}
		}
		Map<CallPeer, Long> droppedAt = new ConcurrentHashMap<>();
		Map<CallPeer, CompletableFuture<Long>> resumedAt = new ConcurrentHashMap<>();
		onA.forEach(peer -> {
			resumedAt.put(peer, new CompletableFuture<>());
			peer.onDropped(dropped -> {
				if (droppedAt.putIfAbsent(dropped, System.nanoTime()) == null) {
					resumeWithRetries(dropped, b.port(), resumedAt.get(dropped), 0);
				}
			});
		});
		try {
			long stoppedAt = System.nanoTime();
			CompletableFuture<Void> stopping = CompletableFuture.runAsync("kill".equals(stop) ? a::kill : () -> a.terminate());
			CompletableFuture.allOf(resumedAt.values().stream().map(f -> f.exceptionally(failure -> null))
					.toArray(CompletableFuture[]::new)).completeOnTimeout(null, this.settings.timeoutSeconds(), TimeUnit.SECONDS)
					.join();
			stopping.join();
			return summary(stop, everyone, onA, stoppedAt, droppedAt, resumedAt);
		}
		finally {
			Calls.disconnectAll(everyone);
		}
	}

	private ReconnectRow summary(String stop, List<CallPeer> everyone, List<CallPeer> onA, long stoppedAt,
			Map<CallPeer, Long> droppedAt, Map<CallPeer, CompletableFuture<Long>> resumedAt) {
		Latencies sinceStop = new Latencies();
		Latencies sinceDrop = new Latencies();
		long last = stoppedAt;
		for (CallPeer peer : onA) {
			CompletableFuture<Long> resumed = resumedAt.get(peer);
			if (resumed.isDone() && !resumed.isCompletedExceptionally()) {
				long at = resumed.join();
				sinceStop.add(at - stoppedAt);
				sinceDrop.add(at - droppedAt.get(peer));
				last = Math.max(last, at);
			}
		}
		int back = everyone.stream().mapToInt(peer -> peer.events("back")).sum();
		int problems = everyone.stream().mapToInt(peer -> peer.problems().size()).sum()
				+ onA.size() - sinceStop.count();
		return new ReconnectRow(stop, everyone.size(), onA.size(), sinceStop.count(), sinceStop, sinceDrop,
				sinceStop.count() == onA.size() ? (last - stoppedAt) / 1e6 : Double.NaN, back, problems);
	}

	/** Calls of six, filled in parallel; participant n sits on instance a when n is even. */
	private List<CallPeer> fill(Deployment relay) {
		BenchUsers users = new BenchUsers(new ConfabPages(relay.instance(1).port()), "move");
		ExecutorService setup = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<List<CallPeer>>> rooms = new ArrayList<>();
			for (int r = 0; r < this.settings.rooms(); r++) {
				int room = r;
				rooms.add(CompletableFuture.supplyAsync(() -> {
					String cookie = users.login(room);
					return Calls.fill(this.driver.pool(), relay, cookie, users.room(cookie, room), PER_ROOM, room * PER_ROOM,
							this.signalling);
				}, setup));
			}
			List<CallPeer> everyone = new ArrayList<>();
			rooms.forEach(room -> everyone.addAll(room.join()));
			return everyone;
		}
		finally {
			setup.shutdown();
		}
	}

	/** The browser's reconnect: at once, then with a short jittered back-off while b refuses. */
	private void resumeWithRetries(CallPeer peer, int port, CompletableFuture<Long> resumed, int attempt) {
		peer.resume(this.driver.pool(), port).whenComplete((at, failure) -> {
			if (failure == null) {
				resumed.complete(at);
			}
			else if (attempt < RETRIES) {
				long delay = 100 + ThreadLocalRandom.current().nextLong(200);
				this.driver.pool().timer().schedule(() -> resumeWithRetries(peer, port, resumed, attempt + 1), delay, TimeUnit.MILLISECONDS);
			}
			else {
				resumed.completeExceptionally(failure);
			}
		});
	}
}
