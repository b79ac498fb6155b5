package dev.confab.bench.lab;

import dev.confab.bench.client.StompEndpoint;

/** RabbitMQ's Web-STOMP endpoint with the bench's virtual host and user. */
public record WebStompTarget(String host, int port, BrokerVhost vhost) {

	public StompEndpoint endpoint() {
		return StompEndpoint.webStomp(this.host, this.port, this.vhost.name(), this.vhost.user(), this.vhost.password());
	}
}
