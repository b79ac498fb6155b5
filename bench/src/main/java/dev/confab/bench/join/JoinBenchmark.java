package dev.confab.bench.join;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.confab.bench.Driver;
import dev.confab.bench.call.BenchUsers;
import dev.confab.bench.call.CallPeer;
import dev.confab.bench.call.Calls;
import dev.confab.bench.call.JoinTiming;
import dev.confab.bench.call.Signalling;
import dev.confab.bench.client.ConfabPages;
import dev.confab.bench.lab.Deployment;
import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Latencies;

/**
 * Joins: the 6th participant of a room joins while five simulated peers answer its offers with
 * browser-size SDP and candidates, then leaves, again and again (a few rooms at once); and a
 * storm, every participant of many rooms of six joining at the same moment.
 */
public final class JoinBenchmark {

	private static final int PEERS = 5;

	private final JoinSettings settings;

	private final Driver driver;

	private final Signalling signalling;

	public JoinBenchmark(Driver driver, JoinSettings settings) {
		this.settings = settings;
		this.driver = driver;
		this.signalling = settings.signalling();
	}

	public JoinResult run() {
		List<JoinRow> rows = new ArrayList<>();
		return new JoinResult(rows, this.driver.eachMode("join", this.settings.modes(),
				(mode, deployment) -> this.settings.rooms() == 0 ? List.of(report(storm(mode, deployment)))
						: List.of(report(steady(mode, deployment)), report(storm(mode, deployment))), rows));
	}

	private JoinRow report(JoinRow row) {
		this.driver.out().printf("[join] %s, %s: %d joins (%d failed), negotiated p50 %.1f ms, p99 %.1f ms%n", row.mode().label(),
				row.kind(), row.joins(), row.failed(), row.toNegotiated().p50(), row.toNegotiated().p99());
		return row;
	}

	/** Rooms in parallel; in each, five stay and a sixth joins, negotiates and leaves, {@code joins} times. */
	private JoinRow steady(Side mode, Deployment deployment) {
		BenchUsers users = new BenchUsers(new ConfabPages(deployment.instance(0).port()), "join");
		Latencies toOthers = new Latencies();
		Latencies toNegotiated = new Latencies();
		AtomicInteger failed = new AtomicInteger();
		ExecutorService rooms = Executors.newFixedThreadPool(this.settings.rooms());
		try {
			List<CompletableFuture<Void>> all = new ArrayList<>();
			for (int r = 0; r < this.settings.rooms(); r++) {
				int room = r;
				all.add(CompletableFuture.runAsync(() -> joinAgainAndAgain(deployment, users, room, toOthers, toNegotiated,
						failed), rooms));
			}
			CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
		}
		finally {
			rooms.shutdown();
		}
		return new JoinRow(mode, "6th joins, " + PEERS + " answer", toNegotiated.count(), failed.get(), toOthers,
				toNegotiated, Double.NaN);
	}

	private void joinAgainAndAgain(Deployment deployment, BenchUsers users, int room, Latencies toOthers,
			Latencies toNegotiated, AtomicInteger failed) {
		String cookie = users.login(room);
		String slug = users.room(cookie, room);
		List<CallPeer> everyone = new ArrayList<>(Calls.fill(this.driver.pool(), deployment, cookie, slug, PEERS, room * 6 + 1,
				this.signalling));
		List<CallPeer> stay = List.copyOf(everyone);
		CallPeer sixth = new CallPeer(cookie, slug, this.signalling);
		everyone.add(sixth);
		try {
			sixth.connect(this.driver.pool(), deployment.instanceFor(room * 6).port()).join();
			for (int j = 0; j < this.settings.joins(); j++) {
				try {
					JoinTiming timing = sixth.join().join();
					toOthers.add(timing.toOthersNanos());
					toNegotiated.add(timing.toNegotiatedNanos());
				}
				catch (RuntimeException ex) {
					failed.incrementAndGet();
				}
				String gone = sixth.id();
				sixth.leave();
				// The next join starts from the same room as the first: everyone saw the leave.
				Calls.await(Duration.ofSeconds(10), () -> stay.stream().noneMatch(peer -> peer.knows(gone)));
			}
		}
		finally {
			Calls.disconnectAll(everyone);
		}
	}

	/** Every participant of {@code stormRooms} rooms of six sends its join at the same moment. */
	private JoinRow storm(Side mode, Deployment deployment) {
		BenchUsers users = new BenchUsers(new ConfabPages(deployment.instance(0).port()), "storm");
		List<CallPeer> peers = new ArrayList<>();
		for (int r = 0; r < this.settings.stormRooms(); r++) {
			String cookie = users.login(r);
			String slug = users.room(cookie, r);
			for (int i = 0; i <= PEERS; i++) {
				peers.add(new CallPeer(cookie, slug, this.signalling));
			}
		}
		Latencies toOthers = new Latencies();
		Latencies toNegotiated = new Latencies();
		List<JoinTiming> timings = Collections.synchronizedList(new ArrayList<>());
		try {
			List<CompletableFuture<CallPeer>> connecting = new ArrayList<>();
			for (int n = 0; n < peers.size(); n++) {
				connecting.add(peers.get(n).connect(this.driver.pool(), deployment.instanceFor(n).port()));
			}
			connecting.forEach(CompletableFuture::join);
			List<CompletableFuture<JoinTiming>> joins = peers.stream().map(CallPeer::join).toList();
			for (CompletableFuture<JoinTiming> join : joins) {
				join.thenAccept(timings::add).exceptionally(failure -> null).join();
			}
		}
		finally {
			Calls.disconnectAll(peers);
		}
		timings.forEach(timing -> {
			toOthers.add(timing.toOthersNanos());
			toNegotiated.add(timing.toNegotiatedNanos());
		});
		long first = timings.stream().mapToLong(JoinTiming::sentAt).min().orElse(0);
		long last = timings.stream().mapToLong(JoinTiming::negotiatedAt).max().orElse(0);
		return new JoinRow(mode, "storm, " + this.settings.stormRooms() + " rooms x 6 at once", timings.size(),
				peers.size() - timings.size(), toOthers, toNegotiated, (last - first) / 1e6);
	}
}
