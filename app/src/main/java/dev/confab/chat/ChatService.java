package dev.confab.chat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Service;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.confab.call.CallMembers;
import dev.confab.call.PerKeyQueue;
import dev.confab.call.Participant;
import dev.confab.limits.PerMinuteLimit;

/**
 * Posts chat messages to a room's call and sends a room's history. Both hold the room's lock (as
 * joins and resumes do), so a room's messages reach everyone in one order, on one instance or
 * many, and none slips past a history: each is in it or comes after it.
 */
@Service
class ChatService {

	private static final Log logger = LogFactory.getLog(ChatService.class);

	private final CallMembers members;

	private final ChatRepository repository;

	private final ChatFragments fragments;

	private final ChatProperties properties;

	private final PerMinuteLimit rate;

	/**
	 * Per participant: its history and its posts, in the order they came. Each waits for the room's
	 * lock on its own, and the database grants it in no particular order: without this, two quick
	 * messages could swap, or a page's first message overtake the history it should follow.
	 */
	private final PerKeyQueue turns = new PerKeyQueue("Chat work");

	ChatService(CallMembers members, ChatRepository repository, ChatFragments fragments, ChatProperties properties) {
		this.members = members;
		this.repository = repository;
		this.fragments = fragments;
		this.properties = properties;
		this.rate = new PerMinuteLimit(properties.messagesPerMinute());
	}

	/**
	 * Stores the message, keeps the room's newest {@code history}, and sends it to everyone in the
	 * call who is not away; the sender's copy also clears its notice. Over the rate only the sender
	 * hears, with the notice, and nothing is stored. A sender that left or moved to another session
	 * meanwhile sends nothing: its message crossed that change. After the sender's earlier posts,
	 * and after its history when it just entered the call.
	 */
	void post(Participant sender, ChatRequest request) {
		this.turns.enqueue(sender.id(), Mono.defer(() -> postNow(sender, request)));
	}

	private Mono<Void> postNow(Participant sender, ChatRequest request) {
		if (!this.rate.tryAcquire(sender.id())) {
			this.members.send(sender, html(this.fragments.notice(ChatFragments.TOO_FAST)));
			return Mono.empty();
		}
		String room = sender.roomSlug();
		// The database keeps microseconds at most; the page shows seconds.
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
		return this.members.underRoomLock(room, participants -> {
			if (participants.stream().noneMatch(p -> isSameSession(p, sender))) {
				logger.debug("Chat message of a participant no longer in the call, dropped");
				return Mono.empty();
			}
			return this.repository.insert(room, sender.id(), sender.screenName(), request.text(), now)
					.flatMap(message -> this.repository.trim(room, this.properties.history()).thenReturn(message))
					.doOnNext(message -> deliver(message, sender, participants));
		})
				// The server's failure (the database), not the client's: the call goes on, the sender knows.
				.onErrorResume(ex -> {
					logger.warn("Chat message of " + sender.id() + " not posted: " + ex.getMessage());
					this.members.send(sender, html(this.fragments.notice(ChatFragments.NOT_SENT)));
					return Mono.empty();
				})
				.then();
	}

	/**
	 * The room's history to one participant that just entered the call, replacing its page's log.
	 * Nothing when the room has no messages: a page can only have shown messages the room still
	 * holds (trimming keeps the newest), so an empty history meets an empty log. Nothing either when
	 * the participant left or moved on meanwhile. It is the participant's first turn (see
	 * {@link #post}): its own messages come after it; another's that crossed its entry may come
	 * just before it, and are then in it too.
	 * <p>
	 * Called while the call that announced the participant still holds the room's lock: the
	 * history waits for that lock on another thread (H2's R2DBC driver would block this one, which
	 * has yet to release it).
	 */
	void sendHistory(Participant to) {
		this.turns.enqueue(to.id(), Mono.defer(() -> historyNow(to)).subscribeOn(Schedulers.boundedElastic()));
	}

	/**
	 * Rooms without messages (most) skip the lock: a message not committed when they were found
	 * empty gets the room's lock after the entry's, so it counts the participant in and reaches it.
	 */
	private Mono<Void> historyNow(Participant to) {
		return this.repository.hasAny(to.roomSlug()).filter(Boolean::booleanValue).flatMap(any -> lockedHistory(to));
	}

	private Mono<Void> lockedHistory(Participant to) {
		return this.members.underRoomLock(to.roomSlug(), participants -> participants.stream().anyMatch(p -> isSameSession(p, to))
						? this.repository.latest(to.roomSlug(), this.properties.history())
						: Mono.<List<ChatMessage>>empty())
				.filter(messages -> !messages.isEmpty())
				.doOnNext(messages -> this.members.send(to, html(this.fragments.history(messages))))
				.then();
	}

	/** Rendered once for everyone; the sender's copy carries the empty notice too, in the same swap. */
	private void deliver(ChatMessage message, Participant sender, List<Participant> participants) {
		String fragment = this.fragments.appended(message);
		String senderCopy = fragment + this.fragments.notice(null);
		for (Participant participant : participants) {
			if (!participant.away()) {
				this.members.send(participant, html(participant.id().equals(sender.id()) ? senderCopy : fragment));
			}
		}
	}

	/** The room's row of that participant still names that session, and it is not away. */
	private static boolean isSameSession(Participant inRoom, Participant local) {
		return inRoom.id().equals(local.id()) && inRoom.sessionId().equals(local.sessionId()) && !inRoom.away();
	}

	private static Map<String, Object> html(String fragment) {
		return Map.of("html", fragment);
	}
}
