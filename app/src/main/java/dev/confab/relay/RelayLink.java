package dev.confab.relay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import com.rabbitmq.client.ShutdownSignalException;

/**
 * This instance's side of RabbitMQ: publishes the server's messages to the relay exchange, with
 * the destination as routing key and the instance's queue as AMQP {@code app-id}, and hands what
 * its queue receives from the other instances to the local broker (its own messages, which the
 * local broker delivered already, come back too and are dropped). Messages
 * go out one at a time from one thread over one channel, so RabbitMQ sees them in the order they
 * were sent (a room's events are sent under its lock, in order). Up while the consuming
 * connection, which owns the exclusive queue and its bindings, is.
 */
final class RelayLink implements MessageListener, ConnectionListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(RelayLink.class);

	/** Messages waiting for the publishing thread before sends fail: a broker that blocks publishers. */
	private static final int BACKLOG = 10_000;

	private final CachingConnectionFactory publishing;

	private final RabbitTemplate publisher;

	private final String exchange;

	private final DestinationBindings bindings;

	private final ThreadPoolExecutor sending = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(BACKLOG), new CustomizableThreadFactory("confab-relay-publish-"));

	private volatile boolean up;

	private volatile @Nullable RelayedBrokerHandler broker;

	RelayLink(CachingConnectionFactory publishing, String exchange, DestinationBindings bindings) {
		this.publishing = publishing;
		this.publisher = new RabbitTemplate(publishing);
		this.exchange = exchange;
		this.bindings = bindings;
	}

	DestinationBindings bindings() {
		return this.bindings;
	}

	void attach(RelayedBrokerHandler broker) {
		this.broker = broker;
	}

	boolean isUp() {
		return this.up;
	}

	/** Fails at once while the broker is away: no message goes anywhere then, not even to local subscribers. */
	void requireUp(Message<?> message) {
		if (!this.up) {
			throw new MessageDeliveryException(message, "Message broker unavailable");
		}
	}

	/** Fails at once while the broker is away, or when it has stopped taking messages for a while. */
	void publish(String destination, Message<?> message) {
		requireUp(message);
		org.springframework.amqp.core.Message amqp = toAmqp(message);
		amqp.getMessageProperties().setAppId(this.bindings.queue());
		try {
			this.sending.execute(() -> send(destination, amqp));
		}
		catch (RejectedExecutionException ex) {
			throw new MessageDeliveryException(message, "Message broker not keeping up: " + BACKLOG + " messages waiting");
		}
	}

	private void send(String destination, org.springframework.amqp.core.Message amqp) {
		try {
			this.publisher.send(this.exchange, destination, amqp);
		}
		catch (RuntimeException ex) {
			// The consuming side notices a lost broker too, and ends the sessions that missed this.
			logger.warn("Could not publish to " + destination + ": " + ex.getMessage());
		}
	}

	@Override
	public void onMessage(org.springframework.amqp.core.Message amqp) {
		RelayedBrokerHandler local = this.broker;
		String destination = amqp.getMessageProperties().getReceivedRoutingKey();
		if (local != null && destination != null && !this.bindings.queue().equals(amqp.getMessageProperties().getAppId())) {
			local.deliver(destination, fromAmqp(destination, amqp));
		}
	}

	@Override
	public void onCreate(Connection connection) {
		try {
			this.bindings.rebindAll();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not bind the followed destinations again: " + ex.getMessage());
			return;
		}
		changed(true);
	}

	@Override
	public void onClose(Connection connection) {
		changed(false);
	}

	@Override
	public void onShutDown(ShutdownSignalException signal) {
		changed(false);
	}

	private void changed(boolean nowUp) {
		boolean was = this.up;
		this.up = nowUp;
		RelayedBrokerHandler local = this.broker;
		if (was != nowUp && local != null) {
			local.linkChanged(nowUp);
		}
	}

	@Override
	public void destroy() {
		this.sending.shutdown();
		this.publishing.destroy();
	}

	private static org.springframework.amqp.core.Message toAmqp(Message<?> message) {
		Object payload = message.getPayload();
		byte[] body = (payload instanceof byte[] bytes) ? bytes
				: String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(message);
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
		MimeType contentType = headers.getContentType();
		properties.setContentType(contentType == null ? null : contentType.toString());
		for (Map.Entry<String, List<String>> header : headers.toNativeHeaderMap().entrySet()) {
			if (!header.getValue().isEmpty()) {
				properties.setHeader(header.getKey(), header.getValue().get(0));
			}
		}
		return new org.springframework.amqp.core.Message(body, properties);
	}

	private static Message<byte[]> fromAmqp(String destination, org.springframework.amqp.core.Message amqp) {
		MessageProperties properties = amqp.getMessageProperties();
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination(destination);
		if (properties.getContentType() != null) {
			headers.setContentType(MimeTypeUtils.parseMimeType(properties.getContentType()));
		}
		properties.getHeaders().forEach((name, value) -> headers.setNativeHeader(name, String.valueOf(value)));
		headers.setLeaveMutable(true);
		return MessageBuilder.createMessage(amqp.getBody(), headers.getMessageHeaders());
	}
}
