package dev.confab.call;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.confab.cluster.InstancesClaimed;
import dev.confab.cluster.MembershipLost;
import dev.confab.session.ClientSessionClosed;
import dev.confab.session.SessionControl;

/** Keeps calls in step with what happens to sessions and rooms. */
@Component
class CallListeners {

	private static final Log logger = LogFactory.getLog(CallListeners.class);

	/** The sweep runs on the heartbeat thread; a stuck database must not hold it for long. */
	private static final Duration ORPHAN_SWEEP_LIMIT = Duration.ofSeconds(30);

	private final CallService calls;

	private final PresenceRepository presence;

	private final ParticipantMessenger messenger;

	private final CallFragments fragments;

	private final JoinRateLimit joinRate;

	private final SessionControl sessions;

	CallListeners(CallService calls, PresenceRepository presence, ParticipantMessenger messenger,
			CallFragments fragments, JoinRateLimit joinRate, SessionControl sessions) {
		this.sessions = sessions;
		this.calls = calls;
		this.presence = presence;
		this.messenger = messenger;
		this.fragments = fragments;
		this.joinRate = joinRate;
	}

	/** However a session ended, its participant leaves and the room is told. */
	@EventListener
	void sessionClosed(ClientSessionClosed closed) {
		this.joinRate.forget(closed.sessionId());
		this.calls.leave(closed.sessionId()).subscribe(null,
				ex -> logger.warn("Leave of a closed session failed; the instance sweep will retry: " + ex.getMessage()));
	}

	/** Everyone in the call sees the new roster. */
	@EventListener
	void callChanged(CallChanged changed) {
		this.presence.inRoom(changed.roomSlug()).collectList()
				.subscribe(participants -> this.messenger.sendToRoom(changed.roomSlug(),
						CallMessages.html(this.fragments.roster(participants))));
	}

	/** After each look for dead instances: their participants leave, and their rooms are told. */
	@EventListener
	void instancesClaimed(InstancesClaimed claimed) {
		Long removed = this.calls.removeOrphans().block(ORPHAN_SWEEP_LIMIT);
		if (removed != null && removed > 0) {
			logger.info("Removed " + removed + " participants of instances that stopped");
		}
	}

	/** The others cleaned up after this instance while it was away; its sessions are stale. */
	@EventListener
	void membershipLost(MembershipLost lost) {
		this.sessions.refuseAll("Server lost contact with the others; reconnect.");
	}
}
