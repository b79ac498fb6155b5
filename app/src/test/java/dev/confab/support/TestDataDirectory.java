package dev.confab.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Every test application context gets its own embedded database and key file. Resolved once here:
 * a {@code ${random.uuid}} placeholder would differ between the R2DBC and the Flyway URL.
 */
public class TestDataDirectory implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (context.getEnvironment().containsProperty("confab.data-dir.fixed")) {
			return;
		}
		try {
			String dir = Files.createTempDirectory("confab-test-").toString();
			context.getEnvironment().getPropertySources()
					.addFirst(new MapPropertySource("confabTestDataDir", Map.of("confab.data-dir", dir)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
