package dev.confab.bench.idle;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.confab.bench.lab.Side;
import dev.confab.bench.report.Printable;
import dev.confab.bench.report.Table;

/** Every step of every mode, and the modes that could not run. */
public record IdleResult(List<IdleRow> rows, Map<Side, String> skipped) implements Printable {

	@Override
	public void print(PrintStream out) {
		IdleRow.table(this.rows).print(out);
		out.println("MB/session: growth of resident memory since before the first session, divided by the open sessions;"
				+ " heap: growth of the live heap after a full GC; sessions per GB: Confab and RabbitMQ resident memory together.");
		relayAgainstStompRelay(out);
		Printable.printSkipped(out, this.skipped);
	}

	/** At the most sessions both relays held: how much less broker memory the AMQP relay needs, and how many more sessions fit. */
	private void relayAgainstStompRelay(PrintStream out) {
		this.rows.stream().filter(row -> row.mode() == Side.STOMP_RELAY).max(Comparator.comparingInt(IdleRow::sessions))
				.flatMap(stomp -> this.rows.stream().filter(row -> row.mode() == Side.RELAY && row.sessions() == stomp.sessions())
						.findFirst().map(relay -> List.of(relay, stomp)))
				.ifPresent(pair -> out.printf("At %d sessions: RabbitMQ MB/session, stomp-relay / relay = %s;"
						+ " sessions per GB, relay / stomp-relay = %s%n", pair.get(0).sessions(),
						Table.ratio(pair.get(1).brokerMbPerSession(), pair.get(0).brokerMbPerSession()),
						Table.ratio(pair.get(0).sessionsPerGb(), pair.get(1).sessionsPerGb())));
	}
}
