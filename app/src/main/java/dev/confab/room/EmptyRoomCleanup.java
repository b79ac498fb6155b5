package dev.confab.room;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.confab.cluster.InstancesClaimed;

/**
 * The talk's room cleanup: rooms that stayed empty and unused for the retention time are deleted
 * and leave the lobby. Rides on the cluster's sweep (after dead instances' participants are gone),
 * at most once per cleanup interval; any instance may do it, the delete is one atomic statement.
 */
@Component
class EmptyRoomCleanup {

	private static final Log logger = LogFactory.getLog(EmptyRoomCleanup.class);

	private static final Duration LIMIT = Duration.ofSeconds(30);

	private final RoomRepository rooms;

	private final RoomProperties properties;

	private final LobbyBroadcaster lobby;

	private final AtomicLong lastRun = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

	EmptyRoomCleanup(RoomRepository rooms, RoomProperties properties, LobbyBroadcaster lobby) {
		this.rooms = rooms;
		this.properties = properties;
		this.lobby = lobby;
	}

	@EventListener
	void afterSweep(InstancesClaimed sweep) {
		long now = System.nanoTime();
		long last = this.lastRun.get();
		if (now - last < this.properties.cleanupInterval().toNanos() || !this.lastRun.compareAndSet(last, now)) {
			return;
		}
		Long deleted = this.rooms.deleteEmptySince(this.properties.emptyRetention()).block(LIMIT);
		if (deleted != null && deleted > 0) {
			logger.info("Deleted " + deleted + " rooms empty for more than " + this.properties.emptyRetention());
			this.lobby.changed();
		}
	}
}
