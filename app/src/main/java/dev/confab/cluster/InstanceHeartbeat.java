package dev.confab.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
/**
 * Keeps this instance's row in {@code instances} fresh and claims instances that went silent.
 * Registers before the web server takes its first connection (lower lifecycle phase), so no
 * participant is ever written for an instance without a row. Runs on a thread and a database
 * connection of its own, so neither a busy scheduler nor a queue for the shared connection pool
 * delays a heartbeat into a false death; and it never claims this instance itself.
 */
@Component
class InstanceHeartbeat implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(InstanceHeartbeat.class);

	/** Ahead of the web server's lifecycle, so registered before clients arrive and removed after they left. */
	private static final int PHASE = 0;

	private final InstanceRepository instances;

	private final ClusterProperties cluster;

	private final boolean onlyInstance;

	private final String id;

	private final ApplicationEventPublisher events;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ThreadPoolTaskScheduler sweeper = new ThreadPoolTaskScheduler();

	private final Queue<String> claimedSinceLastSweep = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sweepWaiting = new AtomicBoolean();

	private volatile ScheduledFuture<?> beat;

	InstanceHeartbeat(InstanceRepository instances, ClusterProperties cluster, InstanceBus bus,
			ClusterInstance instance, ApplicationEventPublisher events) {
		this.instances = instances;
		this.cluster = cluster;
		this.onlyInstance = !bus.sharedWithOthers();
		this.id = instance.id();
		this.events = events;
		this.scheduler.setThreadNamePrefix("cluster-heartbeat-");
		this.sweeper.setThreadNamePrefix("cluster-sweep-");
	}

	@Override
	public void start() {
		this.instances.register(this.id).block(timeout());
		if (this.onlyInstance) {
			// No other instance can run beside this one, so rows left by earlier runs are dead ones.
			List<String> earlier = this.instances.claimAllBut(this.id).collectList().block(timeout());
			this.events.publishEvent(new InstancesClaimed(earlier == null ? List.of() : earlier));
		}
		this.scheduler.initialize();
		this.sweeper.initialize();
		this.beat = this.scheduler.scheduleWithFixedDelay(this::beatAndSweep, this.cluster.heartbeatInterval());
		logger.info("Instance " + this.id + " registered; heartbeat every " + this.cluster.heartbeatInterval());
	}

	void beatAndSweep() {
		try {
			Boolean alive = this.instances.heartbeat(this.id).block(timeout());
			if (Boolean.FALSE.equals(alive)) {
				logger.warn("Instance " + this.id + " was declared dead by the others (missed heartbeats); "
						+ "ending its sessions and registering again");
				this.events.publishEvent(new MembershipLost(this.id));
				this.instances.register(this.id).block(timeout());
			}
			List<String> claimed = this.instances.claimSilent(this.id, this.cluster.instanceTimeout()).collectList()
					.block(timeout());
			if (claimed != null && !claimed.isEmpty()) {
				logger.warn("Instances stopped heartbeating, cleaning up after them: " + claimed);
			}
			afterSweep(claimed == null ? List.of() : claimed);
		}
		catch (RuntimeException ex) {
			// The database is away; the next beat tries again. Others may declare this instance dead meanwhile.
			logger.warn("Instance heartbeat failed: " + ex.getMessage());
		}
	}

	/**
	 * What the sweep leads to (participants turned away, graces expired, empty rooms) runs on the
	 * shared pool, which an overload keeps busy: on a thread of its own, so the next beat never
	 * waits for it. While one runs, the next waits, with every instance claimed meanwhile.
	 */
	private void afterSweep(List<String> claimed) {
		this.claimedSinceLastSweep.addAll(claimed);
		if (this.sweepWaiting.compareAndSet(false, true)) {
			this.sweeper.execute(() -> {
				this.sweepWaiting.set(false);
				List<String> drained = new ArrayList<>();
				for (String next; (next = this.claimedSinceLastSweep.poll()) != null;) {
					drained.add(next);
				}
				try {
					this.events.publishEvent(new InstancesClaimed(drained));
				}
				catch (RuntimeException ex) {
					logger.warn("Cleanup after the sweep failed: " + ex.getMessage());
				}
			});
		}
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.beat;
		if (running != null) {
			running.cancel(false);
		}
		this.scheduler.shutdown();
		this.sweeper.shutdown();
		try {
			this.instances.deregister(this.id).block(timeout());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not deregister instance " + this.id + "; the others will once it times out: " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.beat != null && !this.beat.isDone();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private Duration timeout() {
		return this.cluster.heartbeatInterval().multipliedBy(2).plusSeconds(5);
	}
}
