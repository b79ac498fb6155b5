package dev.confab.stomp;

import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;

/** spring-messaging's simple broker, in this JVM: heart-beats between the browsers and this instance. */
final class InMemoryBroker implements StompBroker {

	@Override
	public void enable(MessageBrokerRegistry registry, TaskScheduler scheduler, long heartbeatMillis) {
		registry.enableSimpleBroker("/topic", "/queue")
				.setHeartbeatValue(new long[] {heartbeatMillis, heartbeatMillis})
				.setTaskScheduler(scheduler);
	}

	@Override
	public boolean confirmsSubscriptions() {
		return false;
	}
}
