package dev.confab.cluster;

import org.springframework.stereotype.Component;

/**
 * Tells the other instances that a room's call changed, so that each keeps its copy of who is in
 * which call true (package {@code call} defines the payload; the bus carries it as it is). Over the
 * {@link InstanceBus}: with one instance alone it goes nowhere, which is right, since the change was
 * made here. Every instance, this one included, gets {@link RoomCallNewsReceived}.
 */
@Component
public class RoomCallNews {

	private final InstanceBus instances;

	public RoomCallNews(InstanceBus instances) {
		this.instances = instances;
	}

	public void tell(String payload) {
		this.instances.toEveryInstance(ControlChannel.roomCall(payload));
	}
}
