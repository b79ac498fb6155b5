package dev.confab.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import dev.confab.support.ConfabServerTest;
import dev.confab.support.MetricsScrape;
import dev.confab.support.RepositoryFiles;
import dev.confab.support.StompTestClient;
import dev.confab.support.TestCalls;
import dev.confab.support.services.TestNginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Health and metrics answer on the management port without a login, and nowhere else: not on the
 * public port, logged in or not, and not through nginx (infra/local/nginx-conf, the site Compose uses).
 * The infra files that scrape, probe and chart them name what the application serves.
 */
@ConfabServerTest
class ManagementPortTests {

	/** Asked on the public side; none may be served there. */
	private static final List<String> ACTUATOR_PATHS = List.of("/actuator", "/actuator/prometheus", "/actuator/health",
			"/actuator/health/readiness", "/actuator/health/liveness");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	@Autowired
	TestCalls calls;

	@Test
	void theManagementPortServesHealthAndMetricsWithoutALogin() {
		String management = "http://localhost:" + this.calls.managementPort();
		assertThat(this.calls.managementPort()).isNotEqualTo(this.calls.port());
		for (String probe : List.of("/actuator/health/readiness", "/actuator/health/liveness")) {
			HttpResponse<String> health = MetricsScrape.get(management + probe);
			assertThat(health.statusCode()).as(probe).isEqualTo(200);
			assertThat(health.body()).as(probe).contains("\"status\":\"UP\"");
		}
		HttpResponse<String> scrape = MetricsScrape.get(management + "/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
		assertThat(scrape.body()).contains("confab_stomp_sessions", "confab_broker_connected", "confab_call_participants",
				"confab_call_join_duration_seconds_bucket");
	}

	/**
	 * A second door to the application would bypass nginx: only the exposed endpoints are there,
	 * although WebFlux maps the STOMP endpoint and static files on that server too.
	 */
	@Test
	void theManagementPortServesNothingButActuator() throws Exception {
		String management = "http://localhost:" + this.calls.managementPort();
		String cookie = this.calls.cookieFor("sideways");
		for (String path : List.of("/", "/login", "/rooms/anything", "/stomp", "/js/pages/room.js", "/webjars/htmx.org/",
				"/actuator/env", "/actuator/beans", "/actuator/heapdump")) {
			HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(management + path))
				.header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as("%s on the management port", path).isEqualTo(404);
		}
		assertThatThrownBy(() -> HTTP.newWebSocketBuilder().header("Cookie", cookie).header("Origin", management)
			.buildAsync(URI.create(management.replace("http:", "ws:") + "/stomp"), new WebSocket.Listener() {
			})
			.get(10, TimeUnit.SECONDS)).as("a WebSocket handshake on the management port").hasCauseInstanceOf(WebSocketHandshakeException.class);
	}

	@Test
	void thePublicPortServesNoActuatorToStrangersNorToUsers() throws Exception {
		String cookie = this.calls.cookieFor("peeker");
		for (String path : ACTUATOR_PATHS) {
			String url = "http://localhost:" + this.calls.port() + path;
			HttpResponse<String> anonymous = MetricsScrape.get(url);
			assertThat(anonymous.statusCode()).as("%s without a login", path).isNotEqualTo(200);
			assertThat(anonymous.body()).as(path).doesNotContain("confab_", "\"status\"");
			HttpResponse<String> loggedIn = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(loggedIn.statusCode()).as("%s logged in", path).isEqualTo(404);
			assertThat(loggedIn.body()).as(path).doesNotContain("confab_", "\"UP\"");
		}
	}

	@Test
	void theDashboardAndTheScrapeConfigNameWhatTheApplicationServes() throws Exception {
		try (StompTestClient client = this.calls.connect("charted")) {
			// Connected: frames in and out exist, so every confab_ meter is in the scrape.
			MetricsScrape scrape = MetricsScrape.of(this.calls.managementPort());
			Set<String> charted = new TreeSet<>();
			Matcher name = Pattern.compile("confab_[a-z_]+").matcher(Files.readString(infra("grafana/dashboards/confab.json")));
			while (name.find()) {
				charted.add(name.group());
			}
			assertThat(charted).as("meters on the dashboard").hasSizeGreaterThanOrEqualTo(11);
			for (String meter : charted) {
				assertThat(scrape.matching(meter)).as("%s, which the dashboard charts", meter).isNotEmpty();
			}
		}
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource("application.yml"));
		Properties shipped = yaml.getObject();
		String port = shipped.getProperty("management.server.port");
		assertThat(port).as("the management port as shipped").isEqualTo("8081");
		assertThat(Files.readString(infra("prometheus/prometheus.yml"))).contains("metrics_path: /actuator/prometheus",
				"\"confab1:" + port + "\"", "\"confab2:" + port + "\"");
		assertThat(Files.readString(infra("compose/compose.yaml")))
			.contains("\"http://127.0.0.1:" + port + "/actuator/health/readiness\"");
		assertThat(Files.readString(infra("compose/Dockerfile"))).contains("MANAGEMENT_SERVER_PORT=" + port);
	}

	/** A file under the repository's infra/, found from the module's working directory upwards. */
	private static Path infra(String file) {
		return RepositoryFiles.find("infra/" + file);
	}

	/** nginx answers /actuator itself (404), however the path is spelled, and passes everything else on. */
	@Test
	void nginxServesNoActuator(@TempDir Path runDir) {
		try (TestNginx nginx = TestNginx.start(runDir, List.of("127.0.0.1:" + this.calls.port()))) {
			String front = "http://127.0.0.1:" + nginx.port();
			assertThat(MetricsScrape.get(front + "/login").statusCode()).as("a page through nginx").isEqualTo(200);
			for (String path : List.of("/actuator/prometheus", "/actuator/health/readiness", "/actuator",
					"//actuator/prometheus", "/%61ctuator/prometheus", "/js/../actuator/prometheus")) {
				HttpResponse<String> answer = MetricsScrape.get(front + path);
				assertThat(answer.statusCode()).as("%s through nginx", path).isEqualTo(404);
				assertThat(answer.body()).as(path).doesNotContain("confab_");
			}
		}
	}
}
