package dev.confab.call;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

import dev.confab.cluster.InstancesClaimed;
import dev.confab.cluster.MembershipLost;
import dev.confab.cluster.SessionCallEnded;
import dev.confab.session.ClientSessionClosed;
import dev.confab.session.SessionControl;

/** Keeps calls in step with what happens to sessions and instances. */
@Component
class CallListeners {

	private static final Log logger = LogFactory.getLog(CallListeners.class);

	/** The sweep runs on the heartbeat thread; a stuck database must not hold it for long. */
	private static final Duration SWEEP_LIMIT = Duration.ofSeconds(30);

	private final CallService calls;

	private final AwayTracker away;

	private final LocalMembership membership;

	private final JoinRateLimit joinRate;

	private final SessionControl sessions;

	private final RoomAdmission admission;

	private final RoomControl control;

	CallListeners(CallService calls, AwayTracker away, LocalMembership membership, JoinRateLimit joinRate,
			SessionControl sessions, RoomAdmission admission, RoomControl control) {
		this.admission = admission;
		this.control = control;
		this.calls = calls;
		this.away = away;
		this.membership = membership;
		this.joinRate = joinRate;
		this.sessions = sessions;
	}

	/**
	 * A session that ended by choice (leave, DISCONNECT, logout, a refusal) takes its participant out
	 * of the call; one whose socket just went away leaves it waiting, away, for a resume.
	 */
	@EventListener
	void sessionClosed(ClientSessionClosed closed) {
		this.joinRate.forget(closed.sessionId());
		Mono<Void> outcome = this.admission.sessionGone(closed.sessionId())
				.then(closed.resumable() ? this.away.sessionLost(closed.sessionId()) : this.calls.leave(closed.sessionId()));
		// Forgotten only afterwards: the lookup needs it while a join of this session may still be committing.
		outcome.doFinally(signal -> this.membership.left(closed.sessionId()))
				.subscribe(null, ex -> logger.warn("Presence update of a closed session failed; its participant "
						+ "turns away when this instance's row goes: " + ex.getMessage()));
	}

	/**
	 * After each look for dead instances: their participants turn away, and whoever is away past
	 * the grace leaves. Every instance does this, so the timers of a dead one live on.
	 */
	@EventListener
	void instancesClaimed(InstancesClaimed claimed) {
		Long orphans = this.away.orphansAway().block(SWEEP_LIMIT);
		if (orphans != null && orphans > 0) {
			logger.info(orphans + " participants of instances that stopped are away until they resume");
		}
		Long expired = this.away.expire().block(SWEEP_LIMIT);
		if (expired != null && expired > 0) {
			logger.info(expired + " participants left after their grace period");
		}
		Long knocks = this.admission.dropOrphanKnocks().block(SWEEP_LIMIT);
		if (knocks != null && knocks > 0) {
			logger.info(knocks + " sessions of instances that stopped no longer wait in waiting rooms");
		}
	}

	/** The room's owner removed this session's participant, maybe from another instance. */
	@EventListener
	void callEnded(SessionCallEnded ended) {
		this.membership.left(ended.sessionId());
	}

	/** An owner's page that joins or comes back gets the list of who waits. */
	@EventListener
	void entered(CallEntered entered) {
		if (!entered.owner()) {
			return;
		}
		this.control.entered(entered.participant())
				.subscribe(null, ex -> logger.debug("Waiting list not sent: " + ex.getMessage()));
	}

	/** The others cleaned up after this instance while it was away; its sessions are stale. */
	@EventListener
	void membershipLost(MembershipLost lost) {
		this.sessions.refuseAll("Server lost contact with the others; reconnect.");
	}
}
