package dev.confab.bench.fanout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.confab.bench.Driver;
import dev.confab.bench.lab.Deployment;
import dev.confab.bench.lab.Instance;
import dev.confab.bench.lab.ProcessCpu;
import dev.confab.bench.lab.Side;
import dev.confab.bench.lab.Unavailable;
import dev.confab.bench.report.LoadAverage;

/**
 * Fan-out latency: rooms of six, one sender each, timestamps in the bodies, at rising rates and
 * several sizes, on each side in turn, alone (the same driver for all). Prints a line per step, then
 * the tables (see {@link FanOutResult}).
 */
public final class FanOutBenchmark {

	private final FanOutSettings settings;

	private final Driver driver;

	private int nextStep;

	public FanOutBenchmark(Driver driver, FanOutSettings settings) {
		this.settings = settings;
		this.driver = driver;
	}

	public FanOutResult run() {
		List<FanOutRow> rows = new ArrayList<>();
		Map<Side, String> skipped = new LinkedHashMap<>();
		for (Side side : this.settings.sides()) {
			try (Alone deployment = startAlone(side); RoomGroup group = open(side, deployment)) {
				this.driver.out().printf("[fanout] %s: %d rooms of 6 ready%n", side.label(), group.rooms());
				step(group, deployment, side, this.settings.sizes().get(0), this.settings.warmupRate(), this.settings.warmupSeconds());
				for (int bytes : this.settings.sizes()) {
					rows.addAll(rise(group, deployment, side, bytes));
				}
			}
			catch (Unavailable ex) {
				skipped.put(side, ex.getMessage());
				this.driver.out().printf("[fanout] %s skipped: %s%n", side.label(), ex.getMessage());
			}
		}
		return new FanOutResult(rows, skipped);
	}

	/**
	 * A side's Confab deployment (none for Web-STOMP), stopped when its side is done, and the
	 * processes whose CPU time each step reads: the Confab JVMs (none for Web-STOMP), and RabbitMQ's
	 * (none embedded).
	 */
	private record Alone(Deployment deployment, List<Long> confab, List<Long> broker) implements AutoCloseable {

		@Override
		public void close() {
			if (this.deployment != null) {
				this.deployment.close();
			}
		}
	}

	/**
	 * Each side runs with nothing else of Confab's on the machine: its deployment starts on its
	 * turn and settles (the JVMs' start-up and first compilations) before anything is sent, and
	 * stops before the next side's starts.
	 */
	private Alone startAlone(Side side) {
		List<Long> broker = side == Side.EMBEDDED ? List.of() : List.of(this.driver.lab().rabbitmqctl().brokerPid());
		if (side == Side.WEBSTOMP) {
			return new Alone(null, List.of(), broker);
		}
		Deployment deployment = this.driver.lab().startAlone(side);
		LockSupport.parkNanos((long) (this.settings.settleSeconds() * 1e9));
		return new Alone(deployment, deployment.instances().stream().map(Instance::pid).toList(), broker);
	}

	private RoomGroup open(Side side, Alone alone) {
		return side == Side.WEBSTOMP ? WebStompRooms.open(this.driver.pool(), this.driver.lab().webStomp(), this.settings.rooms())
				: ConfabRooms.open(this.driver.pool(), alone.deployment(), this.settings.rooms());
	}

	/** Rising rates at one size until one is too slow or loses messages. */
	private List<FanOutRow> rise(RoomGroup group, Alone processes, Side side, int bytes) {
		List<FanOutRow> rows = new ArrayList<>();
		for (int rate : this.settings.rates()) {
			FanOutRow row = step(group, processes, side, bytes, rate, this.settings.secondsAt(rate));
			rows.add(row);
			this.driver.out().printf("[fanout] %-40s %6s %6d/s: p50 %s ms, p99 %s ms, max %s ms, %d/%d delivered (%.0f/s), load %.1f%s%n",
					side.label(), FanOutRow.size(bytes), rate, fmt(row.p50()), fmt(row.p99()), fmt(row.max()), row.received(),
					row.expected(), row.perSecond(), row.load(), row.problems().isEmpty() ? "" : "; " + row.problems().size() + " problems, first: " + row.problems().get(0));
			if (row.lost() > 0 || row.p99() > this.settings.giveUpMillis()) {
				break;
			}
		}
		return rows;
	}

	/** Sends {@code rate} deliveries per second for {@code seconds}, evenly paced over the rooms, then drains. */
	private FanOutRow step(RoomGroup group, Alone processes, Side side, int bytes, int rate, double seconds) {
		Deliveries deliveries = new Deliveries(this.nextStep++);
		group.measure(deliveries);
		long confabBefore = ProcessCpu.millis(processes.confab());
		long brokerBefore = ProcessCpu.millis(processes.broker());
		double messagesPerSecond = rate / (double) RoomGroup.RECEIVERS;
		long messages = Math.max(1, Math.round(messagesPerSecond * seconds));
		long start = System.nanoTime();
		for (long k = 0; k < messages; k++) {
			long wait = start + (long) (k * 1e9 / messagesPerSecond) - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			group.send((int) (k % group.rooms()), deliveries, bytes);
		}
		long expected = messages * RoomGroup.RECEIVERS;
		drain(deliveries, expected);
		double thousands = deliveries.received() / 1000.0;
		double confabCpu = perThousand(confabBefore, ProcessCpu.millis(processes.confab()), thousands);
		double brokerCpu = perThousand(brokerBefore, ProcessCpu.millis(processes.broker()), thousands);
		return new FanOutRow(side, bytes, rate, expected, deliveries.received(), deliveries.perSecond(),
				deliveries.latencies().p50(), deliveries.latencies().p99(), deliveries.latencies().max(), deliveries.problems(),
				LoadAverage.oneMinute(), confabCpu, brokerCpu);
	}

	/** CPU milliseconds per 1,000 deliveries between two readings; -1 when one failed (or had nothing to read). */
	private static double perThousand(long before, long after, double thousands) {
		return before < 0 || after < 0 || thousands <= 0 ? -1 : (after - before) / thousands;
	}

	/** Waits for the last deliveries; gives up once nothing arrived for a while. */
	private void drain(Deliveries deliveries, long expected) {
		long quietLimit = (long) Math.max(3e9, this.settings.giveUpMillis() * 3e6);
		long seen = -1;
		long lastProgress = System.nanoTime();
		while (deliveries.received() < expected && System.nanoTime() - lastProgress < quietLimit) {
			if (deliveries.received() != seen) {
				seen = deliveries.received();
				lastProgress = System.nanoTime();
			}
			LockSupport.parkNanos(10_000_000);
		}
	}

	private static String fmt(double ms) {
		return dev.confab.bench.report.Table.millis(ms);
	}
}
