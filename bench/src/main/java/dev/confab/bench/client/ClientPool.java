package dev.confab.bench.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load driver's threads: a few HttpClients (each has one selector thread; a single one would
 * funnel every socket through it) on one small callback pool, and a timer for heart-beats and
 * pacing. Daemon threads, so a benchmark that fails never hangs the JVM.
 */
public final class ClientPool implements AutoCloseable {

	private final ExecutorService callbacks;

	private final ScheduledExecutorService timer;

	private final List<HttpClient> clients = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	public ClientPool(int selectors, int callbackThreads) {
		this.callbacks = Executors.newFixedThreadPool(callbackThreads, daemon("bench-client-"));
		this.timer = Executors.newScheduledThreadPool(1, daemon("bench-timer-"));
		for (int i = 0; i < selectors; i++) {
			this.clients.add(HttpClient.newBuilder().executor(this.callbacks).connectTimeout(Duration.ofSeconds(20)).build());
		}
	}

	/** Two selectors and two callback threads per core the driver shares with the servers. */
	public static ClientPool forThisMachine() {
		int cores = Runtime.getRuntime().availableProcessors();
		return new ClientPool(Math.max(2, cores), Math.max(2, cores));
	}

	/** The HttpClients in turn. */
	public HttpClient http() {
		return this.clients.get(Math.floorMod(this.next.getAndIncrement(), this.clients.size()));
	}

	/** Connects a STOMP session through the next HttpClient. */
	public CompletableFuture<StompClient> connect(StompEndpoint endpoint, StompClient.Listener listener) {
		return StompClient.connect(http(), endpoint, listener);
	}

	public ScheduledExecutorService timer() {
		return this.timer;
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
		this.callbacks.shutdownNow();
	}

	static ThreadFactory daemon(String prefix) {
		AtomicInteger n = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}
}
