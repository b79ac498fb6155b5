package dev.confab.identity;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;

import static dev.confab.identity.UniqueNameParts.digits;
import static dev.confab.identity.UniqueNameParts.letters;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users from before migration V6 have no look-alike key in their row: SQL cannot compute one.
 * The application fills them in at start and, until then, compares their screen names itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScreenNameSkeletonBackfillTests {

	@Autowired
	DatabaseClient db;

	@Autowired
	ScreenNameSkeletons skeletons;

	@Autowired
	LoginService logins;

	@Autowired
	ApplicationContext context;

	@Test
	void aLookAlikeOfAUserWithoutAKeyYetIsRefused() {
		String suffix = digits();
		insertWithoutSkeleton("Alice" + suffix, "Early Person " + letters(), OffsetDateTime.now(ZoneOffset.UTC));
		StepVerifier.create(logins.login("AIice" + suffix, "Late Person " + letters()))
			.verifyErrorSatisfies(ex -> assertThat(ex).isInstanceOf(LoginRefusedException.class)
				.hasMessageContaining("looks too much like one that is taken"));
	}

	@Test
	void fillingGivesTheOlderOfTwoLookAlikesTheKeyAndBothStillLogIn() {
		String suffix = digits();
		OffsetDateTime earlier = OffsetDateTime.now(ZoneOffset.UTC).minusDays(2);
		String olderReal = "Older Person " + letters();
		String youngerReal = "Younger Person " + letters();
		UUID younger = insertWithoutSkeleton("AIice" + suffix, youngerReal, earlier.plusDays(1));
		UUID older = insertWithoutSkeleton("Alice" + suffix, olderReal, earlier);
		UUID unrelated = insertWithoutSkeleton("Dora" + suffix, "Other Person " + letters(), earlier);

		StepVerifier.create(skeletons.fill()).assertNext(filled -> assertThat(filled).isGreaterThanOrEqualTo(2))
			.verifyComplete();
		assertThat(storedSkeleton(older)).isEqualTo(ScreenName.parse("Alice" + suffix).skeleton());
		assertThat(storedSkeleton(unrelated)).isEqualTo(ScreenName.parse("Dora" + suffix).skeleton());
		assertThat(storedSkeleton(younger)).isNull();
		// Filling again changes nothing: the younger look-alike still meets the older one's key.
		StepVerifier.create(skeletons.fill()).expectNextCount(1).verifyComplete();
		assertThat(storedSkeleton(younger)).isNull();

		// Both keep their names, and a third look-alike is refused.
		StepVerifier.create(logins.login("Alice" + suffix, olderReal))
			.assertNext(user -> assertThat(user.id()).isEqualTo(older))
			.verifyComplete();
		StepVerifier.create(logins.login("AIice" + suffix, youngerReal))
			.assertNext(user -> assertThat(user.id()).isEqualTo(younger))
			.verifyComplete();
		StepVerifier.create(logins.login("Aǀice" + suffix, "Third Person " + letters()))
			.verifyErrorSatisfies(ex -> assertThat(ex).hasMessageContaining("looks too much like one that is taken"));
	}

	@Test
	void newUsersGetTheirKeyAtOnce() {
		String screen = "Newcomer" + digits();
		ConfabUser user = logins.login(screen, "New Person " + letters()).block();
		assertThat(storedSkeleton(user.id())).isEqualTo(ScreenName.parse(screen).skeleton());
	}

	@Test
	void fillingRunsBeforeTheWebServerTakesConnections() {
		SmartLifecycle webServer = context.getBean("webServerStartStop", SmartLifecycle.class);
		assertThat(skeletons.isRunning()).isTrue();
		assertThat(skeletons.getPhase()).isLessThan(webServer.getPhase());
	}

	/** A row as the code before V6 wrote it. */
	private UUID insertWithoutSkeleton(String screenName, String realName, OffsetDateTime createdAt) {
		UUID id = UUID.randomUUID();
		ScreenName screen = ScreenName.parse(screenName);
		db.sql("INSERT INTO users (id, screen_name, screen_name_key, real_name_key, created_at)"
				+ " VALUES (:id, :screenName, :screenNameKey, :realNameKey, :createdAt)")
			.bind("id", id)
			.bind("screenName", screen.value())
			.bind("screenNameKey", screen.key())
			.bind("realNameKey", RealName.parse(realName).key())
			.bind("createdAt", createdAt)
			.then()
			.block();
		return id;
	}

	private String storedSkeleton(UUID id) {
		return db.sql("SELECT screen_name_skeleton FROM users WHERE id = :id")
			.bind("id", id)
			.map((row, meta) -> Optional.ofNullable(row.get("screen_name_skeleton", String.class)))
			.one()
			.block()
			.orElse(null);
	}
}
