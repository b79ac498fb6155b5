package dev.confab.stomp;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;

import dev.confab.session.NonBlockingDestinations;

/**
 * One session's frames on their way to the (synchronous) client inbound channel: handled one at a
 * time, in the order sent, on a pool thread. A burst of frames is handled by one task on one thread;
 * spring-messaging's OrderedMessageChannelDecorator hands every frame to the pool on its own, which
 * wakes a thread for each (a browser sends its offer and its candidates at once). A SEND to a
 * destination that never blocks is handled at once on the sending thread (the socket's) when
 * nothing of the session's waits before it.
 */
final class SessionInbound implements MessageChannel {

	private static final Log logger = LogFactory.getLog(SessionInbound.class);

	/** Frames one task handles before it yields its thread to other sessions. */
	static final int FRAMES_PER_TURN = 32;

	private final MessageChannel channel;

	private final Executor executor;

	private final NonBlockingDestinations nonBlocking;

	private final Queue<Message<?>> waiting = new ConcurrentLinkedQueue<>();

	/** Frames queued and not yet handled; a task is scheduled while it is above zero. */
	private final AtomicInteger pending = new AtomicInteger();

	SessionInbound(MessageChannel channel, Executor executor, NonBlockingDestinations nonBlocking) {
		this.channel = channel;
		this.executor = executor;
		this.nonBlocking = nonBlocking;
	}

	@Override
	public boolean send(Message<?> message, long timeout) {
		if (neverBlocks(message) && this.pending.compareAndSet(0, 1)) {
			handle(message);
			// Frames that came meanwhile (from another thread: a close) waited for this one.
			if (this.pending.decrementAndGet() > 0) {
				this.executor.execute(this::handleWaiting);
			}
			return true;
		}
		this.waiting.add(message);
		if (this.pending.getAndIncrement() == 0) {
			this.executor.execute(this::handleWaiting);
		}
		return true;
	}

	private boolean neverBlocks(Message<?> message) {
		String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
		return SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.MESSAGE
				&& destination != null && this.nonBlocking.neverBlocks(destination);
	}

	private void handleWaiting() {
		for (int handled = 0; handled < FRAMES_PER_TURN; handled++) {
			handle(this.waiting.poll());
			if (this.pending.decrementAndGet() == 0) {
				return;
			}
		}
		this.executor.execute(this::handleWaiting);
	}

	/** A failing handler must not stop the session's later frames; spring-messaging's pool logs and goes on too. */
	private void handle(Message<?> message) {
		try {
			this.channel.send(message);
		}
		catch (RuntimeException ex) {
			logger.error("Failed to handle a " + SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) + " of session "
					+ SimpMessageHeaderAccessor.getSessionId(message.getHeaders()), ex);
		}
	}
}
