package dev.confab.turn;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.confab.ice.TurnCredentials;
import dev.confab.ice.TurnCredentials.Credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Confab's TURN REST credentials against vectors computed outside Java, and the limits on what
 * it issues. Whether coturn accepts them is {@link CoturnTest}'s business.
 */
class TurnCredentialsTest {

	/**
	 * Passwords computed independently with OpenSSL 3.0 on Debian (shell in a UTF-8 locale):
	 * <pre>
	 * printf %s "$USERNAME" | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
	 * </pre>
	 * The secrets cover a short key, one with spaces, one longer than SHA-1's 64-byte block
	 * (85 bytes: HMAC hashes it first) and one with non-ASCII characters (its UTF-8 bytes are the
	 * key, as in coturn's config file).
	 */
	@ParameterizedTest(name = "secret \"{0}\", username {1}")
	@CsvSource(delimiter = '|', textBlock = """
			north                                                                                 | 1700000000:alice                        | Cd/49soE35ICqcJF/bCTn8Z4OyE=
			correct horse battery staple                                                          | 1700003600:q7Xk2mP9vR4tY8wB1nC5dA       | grbe+oQpw8+fouG3/AB88SBBapo=
			l0ng-s3cret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789 | 4102444800:participant_-Z9              | 2bxLyu4GU0SFlu6D2gNLf4lCZNQ=
			geheimnis-äöü                                                                         | 1735689600:bob                          | ydO9ZDeHjyGKYYhzk/p9eenXIZQ=
			""")
	void passwordMatchesOpenSslVector(String secret, String username, String expectedPassword) {
		assertThat(new TurnCredentials(secret, Duration.ofHours(1)).password(username)).isEqualTo(expectedPassword);
	}

	@Test
	void mintedCredentialIsExpiryColonParticipantWithTheVectorPassword() {
		// 1699996400 + 3600 s = 1700000000: the first vector above.
		Credential credential = new TurnCredentials("north", Duration.ofHours(1)).mint("alice",
				Instant.ofEpochSecond(1_699_996_400));

		assertThat(credential.username()).isEqualTo("1700000000:alice");
		assertThat(credential.password()).isEqualTo("Cd/49soE35ICqcJF/bCTn8Z4OyE=");
		assertThat(credential.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
	}

	@Test
	void expiryIsNowPlusLifetimeInWholeSeconds() {
		Instant now = Instant.parse("2026-03-01T12:00:00.750Z");
		TurnCredentials credentials = new TurnCredentials("north", Duration.ofMinutes(90));

		Credential credential = credentials.mint("q7Xk2mP9vR4tY8wB1nC5dA", now);

		Instant expected = now.plus(Duration.ofMinutes(90));
		assertThat(credential.expiresAt()).isEqualTo(expected);
		// coturn reads whole unix seconds; the fraction is dropped, so coturn never accepts it for longer.
		assertThat(credential.username()).isEqualTo(expected.getEpochSecond() + ":q7Xk2mP9vR4tY8wB1nC5dA");
		assertThat(Long.parseLong(credential.username().split(":")[0])).isLessThanOrEqualTo(expected.getEpochSecond());
		assertThat(credential.password()).isEqualTo(credentials.password(credential.username()));
	}

	@Test
	void theLongestLifetimeIsTwentyFourHours() {
		Instant now = Instant.ofEpochSecond(1_700_000_000);

		Credential credential = new TurnCredentials("north", TurnCredentials.MAX_LIFETIME).mint("alice", now);

		assertThat(TurnCredentials.MAX_LIFETIME).isEqualTo(Duration.ofHours(24));
		assertThat(credential.username()).isEqualTo((1_700_000_000L + 86_400L) + ":alice");
	}

	@Test
	void differentParticipantsAndSecretsGiveDifferentPasswords() {
		Instant now = Instant.ofEpochSecond(1_700_000_000);
		TurnCredentials north = new TurnCredentials("north", Duration.ofHours(1));

		assertThat(north.mint("alice", now).password()).isNotEqualTo(north.mint("bob", now).password());
		assertThat(new TurnCredentials("south", Duration.ofHours(1)).mint("alice", now).password())
			.isNotEqualTo(north.mint("alice", now).password());
		assertThat(north.mint("alice", now.plusSeconds(1)).password()).isNotEqualTo(north.mint("alice", now).password());
	}

	@ParameterizedTest(name = "lifetime {0}")
	@ValueSource(strings = { "PT24H0.000000001S", "PT24H1S", "PT25H", "P30D", "P3650D" })
	void overLongLifetimesAreRefused(String lifetime) {
		assertThatIllegalArgumentException().isThrownBy(() -> new TurnCredentials("north", Duration.parse(lifetime)))
			.withMessageContaining("at most");
	}

	@ParameterizedTest(name = "lifetime {0}")
	@ValueSource(strings = { "PT0S", "-PT1S", "-PT1H" })
	void zeroAndNegativeLifetimesAreRefused(String lifetime) {
		assertThatIllegalArgumentException().isThrownBy(() -> new TurnCredentials("north", Duration.parse(lifetime)));
	}

	@ParameterizedTest(name = "secret \"{0}\"")
	@ValueSource(strings = { "", " ", "   ", "\t", "\n" })
	void blankSecretsAreRefused(String secret) {
		// coturn 4.6.1 would take an empty static-auth-secret as a real key (see coturn/turnserver.conf).
		assertThatIllegalArgumentException().isThrownBy(() -> new TurnCredentials(secret, Duration.ofHours(1)))
			.withMessageContaining("secret");
	}

	@Test
	void aMissingSecretIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TurnCredentials(null, Duration.ofHours(1)));
	}

	@ParameterizedTest(name = "participant \"{0}\"")
	@ValueSource(strings = { "", ":", "alice:admin", "1700000000:alice", "alice:" })
	void participantIdsWithAColonOrEmptyAreRefused(String participantId) {
		// coturn splits the username at the first ':' (rest-api-separator); a ':' in the id would
		// make another participant's or a forged expiry part of the name.
		TurnCredentials credentials = new TurnCredentials("north", Duration.ofHours(1));

		assertThatIllegalArgumentException().isThrownBy(() -> credentials.mint(participantId, Instant.now()));
	}

	@Test
	void credentialsNeverPrintThePassword() {
		Credential credential = new TurnCredentials("north", Duration.ofHours(1)).mint("alice",
				Instant.ofEpochSecond(1_699_996_400));

		assertThat(credential.toString()).contains("1700000000:alice").doesNotContain(credential.password());
	}

	@Test
	void aNullParticipantIsRefused() {
		TurnCredentials credentials = new TurnCredentials("north", Duration.ofHours(1));

		assertThatThrownBy(() -> credentials.mint(null, Instant.now())).isInstanceOf(RuntimeException.class);
	}

}
