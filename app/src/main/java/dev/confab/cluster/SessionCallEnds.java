package dev.confab.cluster;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Tells the instance that holds a session that its call ended (a removal decided on another
 * instance): a local event at once, and over the {@link InstanceBus} to every instance, which
 * turns it into {@link SessionCallEnded} (with one instance alone it goes nowhere else).
 */
@Component
public class SessionCallEnds {

	private final InstanceBus instances;

	private final ApplicationEventPublisher events;

	SessionCallEnds(InstanceBus instances, ApplicationEventPublisher events) {
		this.instances = instances;
		this.events = events;
	}

	public void end(String sessionId) {
		// This instance at once, whatever the broker does: the session may be one of ours.
		this.events.publishEvent(new SessionCallEnded(sessionId));
		this.instances.toEveryInstance(ControlChannel.callEnded(sessionId));
	}
}
