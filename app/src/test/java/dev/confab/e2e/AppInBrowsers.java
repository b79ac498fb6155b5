package dev.confab.e2e;

import dev.confab.ConfabApplication;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A browser test against the real app of this JVM (embedded mode), which the test's browsers reach
 * through their loopback network's bridge at {@link #base}.
 */
@SpringBootTest(classes = ConfabApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class AppInBrowsers {

	@LocalServerPort
	private int port;

	/** The app's database: what the server holds, to compare with what the pages show. */
	@Autowired
	protected DatabaseClient db;

	/** The app as the browsers reach it. */
	protected String base;

	/** The test class's browsers: its static {@code @RegisterExtension} field. */
	protected abstract LoopbackBrowsers browsers();

	@BeforeEach
	final void bridgeTheApp() {
		browsers().exposeHostPort(this.port);
		this.base = "http://localhost:" + this.port;
	}
}
