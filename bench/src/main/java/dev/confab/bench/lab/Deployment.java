package dev.confab.bench.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Confab instances of one mode that share state, and what they need: the database and vhost in relay mode. */
public final class Deployment implements AutoCloseable {

	private final Side side;

	private final List<Instance> instances;

	private final BrokerVhost vhost;

	private final List<AutoCloseable> resources;

	private final Duration startTimeout;

	private boolean closed;

	Deployment(Side side, List<Instance> instances, BrokerVhost vhost, List<AutoCloseable> resources,
			Duration startTimeout) {
		this.side = side;
		this.instances = Collections.synchronizedList(new ArrayList<>(instances));
		this.vhost = vhost;
		this.resources = resources;
		this.startTimeout = startTimeout;
	}

	public Side side() {
		return this.side;
	}

	public List<Instance> instances() {
		return List.copyOf(this.instances);
	}

	public Instance instance(int index) {
		return this.instances.get(index);
	}

	/** Where session number {@code n} connects: the instances in turn. */
	public Instance instanceFor(int n) {
		return this.instances.get(Math.floorMod(n, this.instances.size()));
	}

	/** The relay's virtual host (for counting its broker connections); empty in embedded mode. */
	public Optional<BrokerVhost> vhost() {
		return Optional.ofNullable(this.vhost);
	}

	/** Starts instance {@code index} again after it stopped (same port, environment and data). */
	public Instance restart(int index) {
		Instance again = this.instances.get(index).startAgain(this.startTimeout);
		this.instances.set(index, again);
		return again;
	}

	/** Stops every instance (SIGTERM, in parallel), then drops what they used. */
	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		CompletableFuture.allOf(instances().stream().map(instance -> CompletableFuture.runAsync(instance::terminate))
				.toArray(CompletableFuture[]::new)).join();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			try {
				this.resources.get(i).close();
			}
			catch (Exception ex) {
				System.err.println("[bench] cleanup failed: " + ex);
			}
		}
	}
}
