package dev.confab.turn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.confab.ice.TurnCredentials;
import dev.confab.ice.TurnCredentials.Credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Confab's credentials against a real coturn (Debian's 4.6.1), started from
 * {@code coturn/turnserver-loopback.conf} with fresh random secrets, as the issue asks: minted
 * credentials are accepted, expired and forged ones refused with 401, both secrets work during
 * a rotation, and over-long ones are never issued.
 * <p>
 * coturn is given two secrets, like a server in the middle of a rotation: {@link #current}
 * (first in {@code confab.ice.turn-secrets}: Confab signs with it) and {@link #previous}.
 */
class CoturnTest {

	private static final Duration LIFETIME = Duration.ofMinutes(10);

	private static Path work;

	private static TurnTools.Tools tools;

	private static Coturn coturn;

	private static String current;

	private static String previous;

	/** The same server once the rotation is over: only {@link #current}. */
	private static Coturn rotated;

	/**
	 * The successful allocations take uclient 3 to 6 s each (its own pacing), so they are all
	 * started here, side by side, and the tests below wait for their results.
	 */
	private static final Map<String, Accepting> ACCEPTING = new ConcurrentHashMap<>();

	private record Accepting(Coturn server, String username, CompletableFuture<Coturn.Run> run) {
	}

	@BeforeAll
	static void startCoturn() throws IOException {
		tools = TurnTools.requireOrSkip();
		work = Files.createTempDirectory("confab-coturn-");
		current = TurnTools.randomSecret();
		previous = TurnTools.randomSecret();
		coturn = startLoopback("rotating", List.of(current, previous));
		rotated = startLoopback("rotated", List.of(current));

		Instant now = Instant.now();
		startAllocation("current", coturn,
				new TurnCredentials(current, LIFETIME).mint(TurnTools.participantId(), now));
		startAllocation("previous during rotation", coturn,
				new TurnCredentials(previous, LIFETIME).mint(TurnTools.participantId(), now));
		startAllocation("current after rotation", rotated,
				new TurnCredentials(current, LIFETIME).mint(TurnTools.participantId(), now));
		String tenYears = now.plus(Duration.ofDays(3650)).getEpochSecond() + ":" + TurnTools.participantId();
		startAllocation("ten years", coturn, tenYears, new TurnCredentials(current, LIFETIME).password(tenYears));
	}

	private static void startAllocation(String name, Coturn server, Credential credential) {
		startAllocation(name, server, credential.username(), credential.password());
	}

	private static void startAllocation(String name, Coturn server, String username, String password) {
		ACCEPTING.put(name, new Accepting(server, username,
				Coturn.inBackground(() -> server.allocate(username, password))));
	}

	/** Waits for the allocation started in {@link #startCoturn()} and checks it was accepted. */
	private static void assertAccepted(String name) {
		Accepting accepting = ACCEPTING.get(name);
		assertAccepted(accepting.server(), accepting.run().join(), accepting.username());
	}

	@AfterAll
	static void stopCoturn() {
		// Let every started uclient finish (each is bounded by its timeout) before coturn goes.
		ACCEPTING.values().forEach(accepting -> {
			try {
				accepting.run().join();
			}
			catch (RuntimeException ex) {
				// the test that owns it reports it
			}
		});
		ACCEPTING.clear();
		if (rotated != null) {
			rotated.close();
		}
		if (coturn != null) {
			coturn.close();
		}
		Coturn.deleteRecursively(work);
	}

	/**
	 * coturn from the loopback configuration: its listening-port and pidfile lines replaced, one
	 * static-auth-secret line per secret appended. The secrets stay in the 0600 temporary file,
	 * off the command line.
	 */
	static Coturn startLoopback(String label, List<String> secrets) throws IOException {
		int port = TurnTools.freePort(List.of("127.0.0.1"), Set.of());
		List<String> lines = new ArrayList<>();
		for (String line : Files.readAllLines(TurnTools.coturnDir().resolve("turnserver-loopback.conf"))) {
			String trimmed = line.strip();
			if (trimmed.startsWith("listening-port") || trimmed.startsWith("pidfile")
					|| trimmed.startsWith("static-auth-secret")) {
				continue;
			}
			lines.add(line);
		}
		lines.add("listening-port=" + port);
		lines.add("pidfile=" + work.resolve(label + ".pid"));
		secrets.forEach(secret -> lines.add("static-auth-secret=" + secret));
		Path config = Files.createFile(work.resolve(label + ".conf"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.write(config, lines, StandardCharsets.UTF_8);
		return Coturn.start(tools, label, List.of("-c", config.toString()), work, port);
	}

	/** Minted with Confab's signing secret (the first of confab.ice.turn-secrets) for ten minutes. */
	@Test
	void aCredentialMintedByConfabIsAccepted() {
		assertAccepted("current");
	}

	@Test
	void anExpiredCredentialIsRefused() {
		// Minted two hours ago for one hour: expired an hour ago. Signed with the right secret.
		Credential credential = new TurnCredentials(current, Duration.ofHours(1)).mint(TurnTools.participantId(),
				Instant.now().minus(Duration.ofHours(2)));
		assertThat(credential.expiresAt()).isBefore(Instant.now());

		Coturn.Run run = coturn.allocate(credential);

		assertRefusedWith401(coturn, run, credential.username());
	}

	@Test
	void aCredentialThatExpiredASecondAgoIsRefused() {
		Credential credential = new TurnCredentials(current, Duration.ofSeconds(1)).mint(TurnTools.participantId(),
				Instant.now().minusSeconds(2));

		assertRefusedWith401(coturn, coturn.allocate(credential), credential.username());
	}

	@Test
	void aCredentialSignedWithAnotherSecretIsRefused() {
		Credential forged = new TurnCredentials(TurnTools.randomSecret(), LIFETIME).mint(TurnTools.participantId(),
				Instant.now());

		assertRefusedWith401(coturn, coturn.allocate(forged), forged.username());
	}

	@Test
	void aCredentialWithItsExpiryPushedBackIsRefused() {
		// A participant edits the expiry in a genuine credential to keep using it: the HMAC no longer matches.
		String participant = TurnTools.participantId();
		Credential genuine = new TurnCredentials(current, LIFETIME).mint(participant, Instant.now());
		String extended = Instant.now().plus(Duration.ofDays(365)).getEpochSecond() + ":" + participant;

		assertRefusedWith401(coturn, coturn.allocate(extended, genuine.password()), extended);
	}

	@Test
	void aCredentialUsedForAnotherParticipantIsRefused() {
		Credential alices = new TurnCredentials(current, LIFETIME).mint(TurnTools.participantId(), Instant.now());
		String bobs = alices.username().split(":")[0] + ":" + TurnTools.participantId();

		assertRefusedWith401(coturn, coturn.allocate(bobs, alices.password()), bobs);
	}

	/**
	 * The rotation of coturn/README.md: while coturn lists the new and the previous secret, a
	 * credential Confab signed with the previous one (before Confab switched) is still accepted.
	 * Once the previous secret is dropped from coturn (the last step), it is refused and the new
	 * one still works.
	 */
	@Test
	void duringARotationCredentialsSignedWithThePreviousSecretAreStillAccepted() {
		assertAccepted("previous during rotation");

		assertAccepted("current after rotation");
		Credential signedBefore = new TurnCredentials(previous, LIFETIME).mint(TurnTools.participantId(),
				Instant.now());
		assertRefusedWith401(rotated, rotated.allocate(signedBefore), signedBefore.username());
	}

	/**
	 * coturn accepts any expiry in the future (here ten years, signed correctly), so only Confab
	 * can keep credentials short: it refuses to be configured for more than 24 h.
	 */
	@Test
	void overLongCredentialsAreNeverIssuedBecauseCoturnWouldAcceptThem() {
		assertAccepted("ten years");

		assertThatIllegalArgumentException().isThrownBy(() -> new TurnCredentials(current, Duration.ofDays(3650)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TurnCredentials(current, TurnCredentials.MAX_LIFETIME.plusSeconds(1)));
		Instant now = Instant.now();
		Credential longest = new TurnCredentials(current, TurnCredentials.MAX_LIFETIME).mint(TurnTools.participantId(),
				now);
		assertThat(Long.parseLong(longest.username().split(":")[0]))
			.isLessThanOrEqualTo(now.plus(Duration.ofHours(24)).getEpochSecond());
	}

	/** Exit 0, messages came back through the relays, and coturn logged the allocation for this user. */
	static void assertAccepted(Coturn server, Coturn.Run run, String username) {
		assertThat(run.exitCode()).as("exit code of %s", run).isZero();
		assertThat(run.output()).as("%s", run).doesNotContain("Cannot complete Allocation");
		assertThat(run.messagesReceived()).as("messages relayed in %s", run).isPositive();
		assertThat(server.awaitLogLine("user <" + username + ">", "ALLOCATE processed, success"))
			.as("coturn logged a successful ALLOCATE for %s; its log:%n%s", username, server.log())
			.isTrue();
	}

	/** Allocation failed, and coturn answered this username with 401 Unauthorized, never with a success. */
	static void assertRefusedWith401(Coturn server, Coturn.Run run, String username) {
		assertThat(run.exitCode()).as("exit code of %s", run).isNotZero();
		assertThat(run.timedOut()).as("%s", run).isFalse();
		assertThat(run.output()).as("%s", run).contains("Cannot complete Allocation");
		assertThat(server.awaitLogLine("user <" + username + ">", "error 401: Unauthorized"))
			.as("coturn logged 401 for %s; its log:%n%s", username, server.log())
			.isTrue();
		assertThat(server.hasLogLine("user <" + username + ">", "processed, success"))
			.as("coturn accepted something from %s", username)
			.isFalse();
	}

}
