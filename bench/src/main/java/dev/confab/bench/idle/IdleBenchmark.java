package dev.confab.bench.idle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.confab.bench.Driver;
import dev.confab.bench.call.BenchUsers;
import dev.confab.bench.client.ConfabPages;
import dev.confab.bench.client.StompClient;
import dev.confab.bench.client.StompEndpoint;
import dev.confab.bench.lab.Deployment;
import dev.confab.bench.lab.Rabbitmqctl;
import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Table;

/**
 * Idle capacity: sessions that hold what a room page holds (personal queue, lobby, one room topic,
 * heart-beats) at rising counts, spread over the mode's instances; resident memory of every Confab
 * JVM and of RabbitMQ after each step, per session and per GB.
 */
public final class IdleBenchmark {

	/** Sessions per room topic and per user, as in a full call. */
	private static final int PER_ROOM = 6;

	private static final StompClient.Listener IGNORE = (client, message) -> {
	};

	private final IdleSettings settings;

	private final Driver driver;

	public IdleBenchmark(Driver driver, IdleSettings settings) {
		this.settings = settings;
		this.driver = driver;
	}

	public IdleResult run() {
		List<IdleRow> rows = new ArrayList<>();
		return new IdleResult(rows, this.driver.eachMode("idle", this.settings.modes(), this::measure, rows));
	}

	private List<IdleRow> measure(Side mode, Deployment deployment) {
		Rabbitmqctl ctl = mode.scaledOut() ? this.driver.lab().rabbitmqctl() : null;
		List<Integer> steps = mode == Side.STOMP_RELAY ? withinBrokerSockets(ctl, this.settings.sessions())
				: this.settings.sessions();
		int most = steps.isEmpty() ? 0 : steps.get(steps.size() - 1);
		List<Seat> seats = seats(deployment, most);
		settle();
		MemoryReading baseline = MemoryReading.of(deployment, ctl);
		List<StompClient> open = Collections.synchronizedList(new ArrayList<>());
		List<IdleRow> rows = new ArrayList<>();
		AtomicInteger failed = new AtomicInteger();
		try {
			for (int target : steps) {
				openUpTo(target, seats, deployment, open, failed);
				settle();
				IdleRow row = new IdleRow(mode, open.size(), failed.get(), baseline, MemoryReading.of(deployment, ctl));
				rows.add(row);
				this.driver.out().printf("[idle] %s: %d sessions (%d failed), Confab %.3f MB/session, RabbitMQ %s MB/session%n",
						mode.label(), open.size(), failed.get(), row.confabMbPerSession(),
						Table.decimal(row.brokerMbPerSession(), 3));
			}
		}
		finally {
			List.copyOf(open).forEach(StompClient::close);
		}
		return rows;
	}

	/** The broker holds one socket per STOMP relay session: steps beyond what it can still open would only fail. */
	private List<Integer> withinBrokerSockets(Rabbitmqctl ctl, List<Integer> steps) {
		if (ctl == null) {
			return steps;
		}
		int free = ctl.freeSockets() - 20;
		List<Integer> fitting = steps.stream().filter(n -> n <= free).toList();
		if (fitting.size() < steps.size()) {
			this.driver.out().printf("[idle] RabbitMQ can open %d more sockets (its file descriptor limit): relay steps above that are left out%n",
					free + 20);
		}
		return fitting;
	}

	/** Who session {@code n} is: a user and a room per six sessions, made before the baseline is read. */
	private record Seat(String cookie, String room) {
	}

	private List<Seat> seats(Deployment deployment, int sessions) {
		BenchUsers users = new BenchUsers(new ConfabPages(deployment.instance(0).port()), "idle");
		List<Seat> seats = new ArrayList<>();
		for (int r = 0; r * PER_ROOM < sessions; r++) {
			String cookie = users.login(r);
			String room = users.room(cookie, r);
			for (int i = 0; i < PER_ROOM; i++) {
				seats.add(new Seat(cookie, room));
			}
		}
		return seats;
	}

	private void openUpTo(int target, List<Seat> seats, Deployment deployment, List<StompClient> open, AtomicInteger failed) {
		Semaphore connecting = new Semaphore(this.settings.connectsAtOnce());
		List<CompletableFuture<Void>> all = new ArrayList<>();
		for (int n = open.size() + failed.get(); n < target; n++) {
			connecting.acquireUninterruptibly();
			Seat seat = seats.get(n);
			StompEndpoint endpoint = StompEndpoint.confab(deployment.instanceFor(n).port(), seat.cookie(),
					this.settings.heartbeatMillis());
			all.add(this.driver.pool().connect(endpoint, IGNORE).thenCompose(client -> subscribeAll(client, seat.room()))
					.orTimeout(60, TimeUnit.SECONDS)
					.handle((client, failure) -> {
						connecting.release();
						if (failure == null) {
							open.add(client);
						}
						else if (failed.incrementAndGet() <= 3) {
							this.driver.out().println("[idle] a session failed: " + failure);
						}
						return null;
					}));
		}
		CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
	}

	private CompletableFuture<StompClient> subscribeAll(StompClient client, String room) {
		return client.subscribe("/user/queue/events").thenCompose(ok -> client.subscribe("/topic/lobby"))
				.thenCompose(ok -> client.subscribe("/topic/room." + room)).thenApply(ok -> {
					client.startHeartbeats(this.driver.pool().timer(), this.settings.heartbeatMillis());
					return client;
				});
	}

	private void settle() {
		try {
			Thread.sleep((long) (this.settings.settleSeconds() * 1000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
