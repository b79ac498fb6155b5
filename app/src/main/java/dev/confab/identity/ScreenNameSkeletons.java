package dev.confab.identity;

import java.time.Duration;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The look-alike keys ({@link Names#skeleton}) of the {@code users} table: whether one is taken,
 * and filling in the rows that have none. Migration V6 added the column empty, since SQL cannot
 * compute a skeleton; this fills it at every start, before the web server takes a login (a lower
 * lifecycle phase), also catching rows an older instance inserted during a rolling upgrade. Rows
 * not filled yet are compared by their screen names on each check, so the rule holds meanwhile.
 * Users who took look-alike names before V6 keep them: the oldest holds the skeleton, the others
 * keep none, and any further look-alike meets the oldest one's.
 */
@Component
class ScreenNameSkeletons implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ScreenNameSkeletons.class);

	/** Ahead of the web server's lifecycle, so the keys are in place before the first login. */
	private static final int PHASE = 0;

	private static final Duration FILL_TIMEOUT = Duration.ofMinutes(2);

	private final DatabaseClient db;

	private volatile boolean running;

	ScreenNameSkeletons(DatabaseClient db) {
		this.db = db;
	}

	/** Whether a user holds this look-alike key, or has a screen name with it in a row not filled yet. */
	Mono<Boolean> isTaken(String skeleton) {
		Mono<Boolean> stored = this.db.sql("SELECT 1 FROM users WHERE screen_name_skeleton = :skeleton")
			.bind("skeleton", skeleton)
			.map((row, meta) -> Boolean.TRUE)
			.first();
		return stored.switchIfEmpty(Mono.defer(() -> withoutSkeleton()
			.any(user -> Names.skeleton(user.screenName()).equals(skeleton))));
	}

	/** Gives every row without a look-alike key its key, oldest first; returns how many got one. */
	Mono<Long> fill() {
		return withoutSkeleton().collectList()
			.flatMapMany(Flux::fromIterable)
			.concatMap(this::fill)
			.filter(Boolean::booleanValue)
			.count();
	}

	private Mono<Boolean> fill(Unfilled user) {
		String skeleton = Names.skeleton(user.screenName());
		return this.db.sql("UPDATE users SET screen_name_skeleton = :skeleton WHERE id = :id AND screen_name_skeleton IS NULL")
			.bind("skeleton", skeleton)
			.bind("id", user.id())
			.fetch()
			.rowsUpdated()
			.map(updated -> updated > 0)
			.onErrorResume(DataIntegrityViolationException.class, ex -> {
				logger.warn("User " + user.id() + " keeps the screen name \"" + user.screenName()
						+ "\" without a look-alike key: an older user's screen name looks the same");
				return Mono.just(Boolean.FALSE);
			});
	}

	/** Ordered by age, so that of two look-alikes the older keeps the key. */
	private Flux<Unfilled> withoutSkeleton() {
		return this.db.sql("SELECT id, screen_name FROM users WHERE screen_name_skeleton IS NULL ORDER BY created_at, id")
			.map((row, meta) -> new Unfilled(row.get("id", UUID.class), row.get("screen_name", String.class)))
			.all();
	}

	@Override
	public void start() {
		// Loads ICU's confusables data here, not on the event loop of the first login.
		Names.skeleton("warm-up");
		try {
			Long filled = fill().block(FILL_TIMEOUT);
			if (filled != null && filled > 0) {
				logger.info("Gave " + filled + " users the look-alike key of their screen name");
			}
		}
		catch (RuntimeException ex) {
			// Sound without it (isTaken compares unfilled rows itself); the next start tries again.
			logger.warn("Could not fill in the look-alike keys of screen names: " + ex.getMessage());
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private record Unfilled(UUID id, String screenName) {
	}
}
