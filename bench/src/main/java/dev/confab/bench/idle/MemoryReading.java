package dev.confab.bench.idle;

import java.util.List;

import dev.confab.bench.lab.Deployment;
import dev.confab.bench.lab.Instance;
import dev.confab.bench.lab.ProcessMemory;
import dev.confab.bench.lab.Rabbitmqctl;

/**
 * Resident memory of each Confab JVM and of RabbitMQ's Erlang VM, the Confab JVMs' live heap (after
 * a full GC), and the broker connections into the relay's vhost, at one moment. Broker figures are absent (-1) in embedded mode.
 */
public record MemoryReading(List<Long> instanceKb, long heapKb, long brokerKb, int brokerConnections) {

	static MemoryReading of(Deployment deployment, Rabbitmqctl ctl) {
		long heap = deployment.instances().stream().mapToLong(Instance::liveHeapKb).sum();
		List<Long> instances = deployment.instances().stream().map(Instance::residentKb).toList();
		if (ctl == null || deployment.vhost().isEmpty()) {
			return new MemoryReading(instances, heap, -1, -1);
		}
		return new MemoryReading(instances, heap, ProcessMemory.residentKb(ctl.brokerPid()), deployment.vhost().get().connections());
	}

	public long confabKb() {
		return this.instanceKb.stream().mapToLong(Long::longValue).sum();
	}

	public boolean hasBroker() {
		return this.brokerKb >= 0;
	}
}
