package dev.confab.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

class SigningKeysTests {

	@TempDir
	Path dir;

	@Test
	void generatesAKeyFileOnceAndReusesIt() throws IOException {
		Path dataDir = dir.resolve("not/yet/there");
		byte[] first = SigningKeys.resolve(null, dataDir);
		Path file = dataDir.resolve("identity.key");
		assertThat(first).hasSize(32);
		assertThat(file).exists();
		assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).isEqualTo(first);
		assertThat(SigningKeys.resolve(" ", dataDir)).isEqualTo(first);
		assertThat(dataDir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
	}

	@Test
	void keyFileIsPrivateWherePosix() throws IOException {
		assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
		SigningKeys.resolve(null, dir);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("identity.key"))))
			.isEqualTo("rw-------");
	}

	@Test
	void differentDataDirsGetDifferentKeys() {
		assertThat(SigningKeys.resolve(null, dir.resolve("a"))).isNotEqualTo(SigningKeys.resolve(null, dir.resolve("b")));
	}

	@Test
	void configuredKeyWinsAndNoFileIsWritten() {
		byte[] key = new byte[48];
		key[0] = 7;
		assertThat(SigningKeys.resolve(Base64.getEncoder().encodeToString(key), dir)).isEqualTo(key);
		assertThat(SigningKeys.resolve(Base64.getUrlEncoder().withoutPadding().encodeToString(key), dir)).isEqualTo(key);
		assertThat(dir.resolve("identity.key")).doesNotExist();
	}

	@Test
	void shortOrInvalidConfiguredKeysAreRefusedWithoutEchoingThem() {
		String tooShort = Base64.getEncoder().encodeToString(new byte[31]);
		assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.resolve(tooShort, dir))
			.withMessageContaining("at least 32")
			.withMessageNotContaining(tooShort);
		assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.resolve("secret!not*base64", dir))
			.withMessageNotContaining("secret");
		assertThat(SigningKeys.isUsable(tooShort)).isFalse();
		assertThat(SigningKeys.isUsable(Base64.getEncoder().encodeToString(new byte[32]))).isTrue();
	}

	@Test
	void corruptKeyFileStopsStartupInsteadOfLoggingEveryoneOut() throws IOException {
		Files.writeString(dir.resolve("identity.key"), "c2hvcnQ=\n");
		assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.resolve(null, dir))
			.withMessageContaining("identity.key");
	}
}
