package dev.confab.identity;

import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The talk's rule. The first login with a real name creates the user, bound to that
 * screen name; later logins with that real name must use the same screen name. A screen
 * name belongs to one real name, and may not be the real name itself. Screen names that
 * look alike ({@link Names#skeleton}) count as one.
 */
@Service
class LoginService {

	static final String SAME_AS_REAL_NAME = "Your screen name must not be your real name: others see the screen name,"
			+ " and the real name is what keeps it yours. Pick another screen name.";

	/** Deliberately does not say which screen name: knowing it plus the real name is enough to log in. */
	static final String REAL_NAME_BOUND = "That real name is already bound to another screen name."
			+ " Log in with the screen name you first used with it, or use another real name.";

	static final String SCREEN_NAME_TAKEN = "The screen name “%s” is taken. Pick another one.";

	static final String SCREEN_NAME_LOOKS_TAKEN = "The screen name “%s” looks too much like one that is taken:"
			+ " letters that look alike, such as a capital I and a small l, count as the same. Pick another one.";

	private static final Log logger = LogFactory.getLog(LoginService.class);

	private final UserStore users;

	private final ScreenNameSkeletons skeletons;

	LoginService(UserStore users, ScreenNameSkeletons skeletons) {
		this.users = users;
		this.skeletons = skeletons;
	}

	/** The user for this pair of names, created on first use; {@link LoginRefusedException} when refused. */
	Mono<ConfabUser> login(String rawScreenName, String rawRealName) {
		ScreenName screenName;
		RealName realName;
		try {
			screenName = ScreenName.parse(rawScreenName);
			realName = RealName.parse(rawRealName);
		}
		catch (InvalidNameException ex) {
			return Mono.error(LoginRefusedException.invalid(ex));
		}
		if (screenName.key().equals(realName.key())) {
			return Mono.error(new LoginRefusedException(HttpStatus.BAD_REQUEST, ScreenName.FIELD, SAME_AS_REAL_NAME));
		}
		return decide(screenName, realName)
			// Two first logins raced and the other one won: decide again against its row.
			.onErrorResume(DataIntegrityViolationException.class, ex -> decide(screenName, realName));
	}

	private Mono<ConfabUser> decide(ScreenName screenName, RealName realName) {
		return users.findByRealNameKey(realName.key())
			.flatMap(existing -> existing.screenNameKey().equals(screenName.key())
					? Mono.just(new ConfabUser(existing.id(), existing.screenName()))
					: Mono.<ConfabUser>error(
							new LoginRefusedException(HttpStatus.CONFLICT, RealName.FIELD, REAL_NAME_BOUND)))
			.switchIfEmpty(Mono.defer(() -> create(screenName, realName)));
	}

	private Mono<ConfabUser> create(ScreenName screenName, RealName realName) {
		return refusal(screenName)
			.flatMap(refused -> Mono.<ConfabUser>error(new LoginRefusedException(HttpStatus.CONFLICT, ScreenName.FIELD,
					refused.formatted(screenName.value()))))
			.switchIfEmpty(Mono.defer(() -> {
				UUID id = UUID.randomUUID();
				return users.insert(id, screenName, realName)
					.doOnSuccess(done -> logger.info("New user " + id + " with screen name \"" + screenName.value() + "\""))
					.thenReturn(new ConfabUser(id, screenName.value()));
			}));
	}

	/** Why a new user cannot take this screen name, or empty when it can. */
	private Mono<String> refusal(ScreenName screenName) {
		return users.existsByScreenNameKey(screenName.key())
			.flatMap(taken -> taken ? Mono.just(SCREEN_NAME_TAKEN)
					: skeletons.isTaken(screenName.skeleton()).filter(Boolean::booleanValue).map(lookAlike -> SCREEN_NAME_LOOKS_TAKEN));
	}
}
