package dev.confab.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.remote.http.ClientConfig;

/**
 * JUnit 5 extension: real headless Chromium browsers whose traffic never leaves loopback.
 * <p>
 * Register it on a test class as {@code @RegisterExtension static final LoopbackBrowsers
 * browsers = new LoopbackBrowsers();}. Per test class it creates a network namespace holding
 * only {@code lo} (see {@link LoopbackNetwork}) and runs one chromedriver inside it, reached
 * from this JVM through a socat bridge. Per test, {@link #open(String)} starts a browser (its
 * own WebDriver session and fresh profile); all browsers of a test are closed after it. A
 * test makes a server of this JVM reachable to the browsers with {@link #exposeHostPort(int)}
 * and then uses {@code http://localhost:<port>} in them (a secure context, so getUserMedia
 * works, and the same origin the server sees).
 * <p>
 * When a test fails, every browser it opened leaves a screenshot, its page source and its
 * console log in {@code <build output>/e2e/<run>/<test>/}; the logs of chromedriver and the
 * bridges are in {@code <build output>/e2e/<run>/}.
 * <p>
 * Needs root, {@code ip}, {@code socat}, {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}: without them the tests are skipped, or fail when {@code CI=true}.
 */
public final class LoopbackBrowsers implements BeforeAllCallback, AfterAllCallback, AfterEachCallback,
		AfterTestExecutionCallback {

	/** Chromium flags: headless, no background traffic, fake camera/microphone, loopback ICE. */
	public static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
			"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
			"--allow-loopback-in-peer-connection", "--window-size=1280,900");

	/** Port of chromedriver inside the namespace (the namespace is ours alone). */
	private static final int CHROMEDRIVER_PORT = 9515;

	private static final Duration DRIVER_START_TIMEOUT = Duration.ofSeconds(20);

	private LoopbackNetwork network;

	private URL driverUrl;

	private Path runDir;

	private final List<Browser> browsers = new ArrayList<>();

	/** Each open browser's profile folder, which names its Chromium processes. */
	private final Map<Browser, Path> profilesOf = new HashMap<>();

	private int profiles;

	/** Frame rate of the fake camera; 0: Chromium's default (20). */
	private int fakeCameraFps;

	/** Fake cameras (and microphones) per browser; 0: Chromium's default (one). */
	private int fakeDevices;

	private static final String FAKE_DEVICES = "--use-fake-device-for-media-stream";

	/**
	 * Makes the fake camera of every browser deliver {@code fps} frames a second (Chromium takes 5
	 * to 60). Fewer frames to encode and decode leave the two cores more room for the servers, for
	 * tests that run instances and three browsers at once; a stall of the video is still a stall.
	 */
	public LoopbackBrowsers withFakeCameraFps(int fps) {
		this.fakeCameraFps = fps;
		return this;
	}

	/**
	 * Gives every browser {@code count} fake cameras (and as many fake microphones and speakers):
	 * Chromium's {@code device-count}, for tests that switch devices mid-call. The cameras differ:
	 * {@code fake_device_0} gives I420, {@code fake_device_1} Y16 (a depth camera, whose frames
	 * WebRTC never encodes: a switch to it stops the video), {@code fake_device_2} MJPEG.
	 */
	public LoopbackBrowsers withFakeDevices(int count) {
		this.fakeDevices = count;
		return this;
	}

	/** The fake-device flag with its parameters: frame rate and device count, where set. */
	private String fakeDeviceFlag() {
		List<String> parameters = new ArrayList<>();
		if (this.fakeCameraFps > 0) {
			parameters.add("fps=" + this.fakeCameraFps);
		}
		if (this.fakeDevices > 0) {
			parameters.add("device-count=" + this.fakeDevices);
		}
		return FAKE_DEVICES + (parameters.isEmpty() ? "" : "=" + String.join(",", parameters));
	}

	// ---------------------------------------------------------------- lifecycle

	@Override
	public void beforeAll(ExtensionContext context) {
		System.setProperty("webdriver.chrome.driver", E2ePrerequisites.CHROMEDRIVER.toString());
		E2ePrerequisites.Tools tools = E2ePrerequisites.requireOrSkip();
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		this.runDir = buildOutputDir().resolve("e2e")
			.resolve(context.getRequiredTestClass().getSimpleName() + "-" + stamp);
		this.network = LoopbackNetwork.create(tools, this.runDir);
		try {
			startChromedriver(tools);
		}
		catch (RuntimeException | Error ex) {
			this.network.close();
			throw ex;
		}
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		if (context.getExecutionException().isPresent() && !this.browsers.isEmpty()) {
			Path dir = testDir(context);
			for (Browser browser : this.browsers) {
				browser.saveArtifacts(dir);
			}
			System.err.println("[confab-e2e] " + context.getDisplayName() + " failed; screenshots and console logs in " + dir);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		closeBrowsers();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		closeBrowsers();
		if (this.network != null) {
			this.network.close();
			this.network = null;
		}
	}

	// ---------------------------------------------------------------- what tests use

	/** Makes host {@code 127.0.0.1:port} reachable to the browsers as {@code http://localhost:port}. */
	public void exposeHostPort(int port) {
		requireStarted().exposeHostPort(port);
	}

	/**
	 * Starts a new browser for participant {@code name}: a WebDriver session of its own with a
	 * fresh profile. Closed automatically after the test.
	 */
	public Browser open(String name) {
		return open(name, true);
	}

	/**
	 * {@link #open(String)} for a participant that needs no camera or microphone (one that is only
	 * turned away, say): Chromium gets no fake devices, so the page's getUserMedia finds none
	 * (NotFoundError) at once and nothing is captured or encoded; still no permission prompt.
	 */
	public Browser openWithoutMedia(String name) {
		return open(name, false);
	}

	/** Closes one browser of this test now (the others stay open); nothing if it is closed already. */
	public void close(Browser browser) {
		if (this.browsers.remove(browser)) {
			this.profilesOf.remove(browser);
			browser.quit();
		}
	}

	private Browser open(String name, boolean fakeMedia) {
		LoopbackNetwork net = requireStarted();
		Path profile = net.runDir().resolve("profile-" + (++this.profiles) + "-" + name);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(E2ePrerequisites.CHROMIUM.toFile());
		options.addArguments(!fakeMedia
				? CHROMIUM_FLAGS.stream().filter(flag -> !flag.equals(FAKE_DEVICES)).toList()
				: CHROMIUM_FLAGS.stream().map(flag -> flag.equals(FAKE_DEVICES) ? fakeDeviceFlag() : flag).toList());
		options.addArguments("--user-data-dir=" + profile);
		options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
		// A page in a call asks before it is left (beforeunload); a test that reloads answers as a user would: leave.
		options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
		ClientConfig client = ClientConfig.defaultConfig()
			.baseUrl(this.driverUrl)
			.connectionTimeout(Duration.ofSeconds(10))
			.readTimeout(Duration.ofSeconds(120));
		RemoteWebDriver driver;
		try {
			driver = new RemoteWebDriver(this.driverUrl, options, client);
		}
		catch (RuntimeException ex) {
			throw new AssertionError(name + ": could not start Chromium through chromedriver (logs in " + this.runDir
					+ "): " + Browser.firstLine(ex), ex);
		}
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		Browser browser = new Browser(name, driver);
		this.browsers.add(browser);
		this.profilesOf.put(browser, profile);
		return browser;
	}

	/**
	 * Runs {@code browser}'s Chromium at {@code nice} {@code niceness} from now on (see
	 * {@link BrowserPriority}): for a test that times what another browser does.
	 */
	public void lowerPriority(Browser browser, int niceness) {
		Path profile = this.profilesOf.get(browser);
		if (profile == null) {
			throw new IllegalArgumentException(browser.name() + " is not open");
		}
		int threads = BrowserPriority.lower(profile, niceness);
		System.out.println("[confab-e2e] " + browser.name() + "'s Chromium now runs at nice " + niceness + " (" + threads
				+ " threads)");
	}

	/** Saves screenshots and console logs of all open browsers now, under {@code label}. */
	public Path saveArtifacts(String label) {
		Path dir = this.runDir.resolve(sanitize(label));
		this.browsers.forEach(b -> b.saveArtifacts(dir));
		return dir;
	}

	/** The namespace, for tests that want to look at it. */
	public LoopbackNetwork network() {
		return requireStarted();
	}

	/** Where this test class's logs and failure artifacts go. */
	public Path outputDir() {
		return this.runDir;
	}

	// ---------------------------------------------------------------- internals

	private void startChromedriver(E2ePrerequisites.Tools tools) {
		this.network.startInNamespace("chromedriver",
				List.of(tools.chromedriver().toString(), "--port=" + CHROMEDRIVER_PORT,
						"--log-path=" + this.runDir.resolve("chromedriver-verbose.log"), "--log-level=INFO"));
		int hostPort = this.network.exposeNamespacePort(CHROMEDRIVER_PORT);
		try {
			this.driverUrl = new URI("http://127.0.0.1:" + hostPort).toURL();
		}
		catch (URISyntaxException | IOException ex) {
			throw new IllegalStateException(ex);
		}
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest status = HttpRequest.newBuilder(URI.create(this.driverUrl + "/status"))
			.timeout(Duration.ofSeconds(2))
			.build();
		Waits.until("chromedriver in " + this.network.name() + " ready (logs in " + this.runDir + ")",
				DRIVER_START_TIMEOUT, () -> {
					try {
						HttpResponse<String> response = http.send(status, HttpResponse.BodyHandlers.ofString());
						return response.statusCode() + " " + response.body();
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
				}, body -> body.startsWith("200") && body.replace(" ", "").contains("\"ready\":true"));
	}

	private LoopbackNetwork requireStarted() {
		if (this.network == null) {
			throw new IllegalStateException(
					"LoopbackBrowsers is not started: register it as a static @RegisterExtension field");
		}
		return this.network;
	}

	private void closeBrowsers() {
		for (Browser browser : this.browsers) {
			browser.quit();
		}
		this.browsers.clear();
		this.profilesOf.clear();
	}

	private Path testDir(ExtensionContext context) {
		String method = context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName());
		return this.runDir.resolve(sanitize(method));
	}

	private static String sanitize(String label) {
		return label.replaceAll("[^A-Za-z0-9._-]+", "_");
	}

	/**
	 * The module's build output folder ({@code target}, or whatever {@code -Dbuild.output}
	 * named): the parent of the folder this class was compiled into.
	 */
	static Path buildOutputDir() {
		try {
			Path classes = Path.of(LoopbackBrowsers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			if (Files.isDirectory(classes) && classes.getParent() != null) {
				return classes.getParent();
			}
		}
		catch (URISyntaxException | RuntimeException ex) {
			// fall through
		}
		return Path.of(System.getProperty("java.io.tmpdir"), "confab-e2e-output");
	}

}
