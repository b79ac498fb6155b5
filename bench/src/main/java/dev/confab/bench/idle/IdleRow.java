package dev.confab.bench.idle;

import java.util.List;
import java.util.stream.Collectors;

import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Table;

/** One step of the idle benchmark, against the mode's reading before any session opened. */
public record IdleRow(Side mode, int sessions, int failed, MemoryReading baseline, MemoryReading now) {

	/** Extra memory of the Confab JVMs per open session, in MB. */
	public double confabMbPerSession() {
		return perSession(this.now.confabKb() - this.baseline.confabKb());
	}

	/** Extra memory of RabbitMQ per open session, in MB; NaN in embedded mode. */
	public double brokerMbPerSession() {
		return this.now.hasBroker() ? perSession(this.now.brokerKb() - this.baseline.brokerKb()) : Double.NaN;
	}

	/** Growth of the Confab JVMs' live heap (after a full GC) per open session, in MB. */
	public double heapMbPerSession() {
		return perSession(this.now.heapKb() - this.baseline.heapKb());
	}

	public double togetherMbPerSession() {
		double broker = brokerMbPerSession();
		return confabMbPerSession() + (Double.isNaN(broker) ? 0 : broker);
	}

	public double sessionsPerGb() {
		double each = togetherMbPerSession();
		return each > 0 ? 1024 / each : Double.NaN;
	}

	private double perSession(long kb) {
		return this.sessions == 0 ? Double.NaN : kb / 1024.0 / this.sessions;
	}

	Object[] cells() {
		String perInstance = this.now.instanceKb().stream().map(kb -> Long.toString(kb / 1024)).collect(Collectors.joining(" + "));
		return new Object[] {this.mode.label(), this.sessions, this.failed, perInstance,
				this.now.hasBroker() ? Long.toString(this.now.brokerKb() / 1024) : "-",
				Table.decimal(confabMbPerSession(), 3), Table.decimal(heapMbPerSession(), 3), Table.decimal(brokerMbPerSession(), 3),
				Table.decimal(togetherMbPerSession(), 3), Table.decimal(sessionsPerGb(), 0),
				this.now.hasBroker() ? Integer.toString(this.now.brokerConnections()) : "-"};
	}

	static Table table(List<IdleRow> rows) {
		Table table = new Table("Idle capacity (each session: personal queue, lobby, one room, heart-beats)", "side",
				"sessions", "failed", "Confab RSS MB", "RabbitMQ RSS MB", "Confab MB/session", "Confab heap MB/session", "RabbitMQ MB/session",
				"together MB/session", "sessions per GB", "broker connections");
		rows.forEach(row -> table.row(row.cells()));
		return table;
	}
}
