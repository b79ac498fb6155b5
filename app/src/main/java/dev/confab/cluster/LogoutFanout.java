package dev.confab.cluster;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.confab.identity.UserConnections;
import dev.confab.identity.UserLoggedOut;

/**
 * Logout closes the user's sockets on every instance: the request goes to every instance (this
 * one included) over the {@link InstanceBus}. Where it went nowhere (one instance alone, or the
 * broker refused), at least this instance's sockets close.
 */
@Component
class LogoutFanout {

	private final UserConnections local;

	private final InstanceBus instances;

	LogoutFanout(UserConnections local, InstanceBus instances) {
		this.local = local;
		this.instances = instances;
	}

	@EventListener
	void loggedOut(UserLoggedOut event) {
		if (!this.instances.toEveryInstance(ControlChannel.logout(event.userName()))) {
			this.local.closeAll(event.userName());
		}
	}
}
