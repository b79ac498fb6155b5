package dev.confab.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * One headless Chromium (its own WebDriver session and profile) inside the loopback-only
 * namespace, named after the participant it plays, with the helpers the browser tests use.
 * Every failure message starts with that name.
 */
public final class Browser {

	/** Default wait: generous, the machine may have two cores for three browsers. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	/** Wait for an element of a page that has loaded. */
	public static final Duration ELEMENT_TIMEOUT = Duration.ofSeconds(15);

	private static final Json JSON = new Json();

	private final String name;

	private final RemoteWebDriver driver;

	private final List<String> consoleSeen = new ArrayList<>();

	Browser(String name, RemoteWebDriver driver) {
		this.name = name;
		this.driver = driver;
	}

	public String name() {
		return this.name;
	}

	/** The raw WebDriver, for anything the helpers do not cover. */
	public RemoteWebDriver driver() {
		return this.driver;
	}

	/** Navigates and waits for the page's load event. */
	public Browser open(String url) {
		try {
			this.driver.get(url);
		}
		catch (WebDriverException ex) {
			throw new AssertionError(this.name + ": could not open " + url + ": " + firstLine(ex), ex);
		}
		return this;
	}

	/** Logs in through the real form at {@code base}/login and waits until the page has left it. */
	public Browser logIn(String base, String screenName, String realName) {
		open(base + "/login");
		type("#screenName", screenName).type("#realName", realName).click("#login-submit");
		await("logged in as " + screenName + " (left /login)", DEFAULT_TIMEOUT, this::currentUrl,
				url -> !URI.create(url).getPath().startsWith("/login"));
		return this;
	}

	public String currentUrl() {
		return this.driver.getCurrentUrl();
	}

	/** Waits until the element is displayed and returns it. */
	public WebElement find(String css) {
		return await("element " + css + " displayed", ELEMENT_TIMEOUT, () -> {
			List<WebElement> found = this.driver.findElements(By.cssSelector(css));
			return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
		}, e -> e != null);
	}

	/** Waits until the element is displayed and enabled, then clicks it (a real user gesture). */
	public Browser click(String css) {
		// Found displayed, then moved or re-rendered before the click landed (a layout change):
		// found and clicked again, as a user would, until the deadline.
		await("element " + css + " displayed, enabled and clicked", ELEMENT_TIMEOUT, () -> {
			List<WebElement> found = this.driver.findElements(By.cssSelector(css));
			WebElement element = found.stream().filter(e -> e.isDisplayed() && e.isEnabled()).findFirst().orElse(null);
			if (element == null) {
				return false;
			}
			try {
				element.click();
				return true;
			}
			catch (ElementNotInteractableException | StaleElementReferenceException ex) {
				return false;
			}
		}, Boolean.TRUE::equals);
		return this;
	}

	/** Replaces the value of an input with what a user would type. */
	public Browser type(String css, String text) {
		WebElement element = find(css);
		element.clear();
		element.sendKeys(text);
		return this;
	}

	public int count(String css) {
		return this.driver.findElements(By.cssSelector(css)).size();
	}

	/** Runs a synchronous script ({@code arguments[i]} are the args) and returns its value. */
	public Object script(String script, Object... args) {
		try {
			return this.driver.executeScript(script, args);
		}
		catch (WebDriverException ex) {
			throw new AssertionError(this.name + ": script failed: " + firstLine(ex), ex);
		}
	}

	/**
	 * Runs {@code body} as the body of an {@code async} function whose parameters are
	 * {@code args}, awaits it and returns its result as decoded JSON (Map, List, String,
	 * Number, Boolean or null). A rejected promise or thrown error becomes an
	 * {@link AssertionError} carrying the JavaScript stack.
	 */
	public Object call(String body, Object... args) {
		String wrapper = """
				const done = arguments[arguments.length - 1];
				const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);
				(async function () { %s
				}).apply(null, args).then(
				  value => done(JSON.stringify({ ok: true, value: value === undefined ? null : value })),
				  error => done(JSON.stringify({ ok: false, error: String(error && error.stack || error) })));
				""".formatted(body);
		Object raw;
		try {
			raw = this.driver.executeAsyncScript(wrapper, args);
		}
		catch (WebDriverException ex) {
			throw new AssertionError(this.name + ": script did not complete: " + firstLine(ex), ex);
		}
		Map<String, Object> result = JSON.toType(String.valueOf(raw), Json.MAP_TYPE);
		if (!Boolean.TRUE.equals(result.get("ok"))) {
			throw new AssertionError(this.name + ": script failed: " + result.get("error"));
		}
		return result.get("value");
	}

	/** {@link #call} for a script that returns an object. */
	@SuppressWarnings("unchecked")
	public Map<String, Object> callForMap(String body, Object... args) {
		Object value = call(body, args);
		if (!(value instanceof Map)) {
			throw new AssertionError(this.name + ": script should return an object, returned " + value);
		}
		return (Map<String, Object>) value;
	}

	/**
	 * Polls {@code probe} until {@code ok} holds, and returns the value that satisfied it. On
	 * timeout fails with this browser's name, what was awaited, and the last value seen (or the
	 * last exception), so the message says which participant was in which state.
	 */
	public <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> ok) {
		try {
			return Waits.until(this.name + ": " + what, timeout, probe, ok);
		}
		catch (AssertionError failure) {
			String url;
			try {
				url = this.driver.getCurrentUrl();
			}
			catch (WebDriverException ex) {
				url = "unknown (" + firstLine(ex) + ")";
			}
			AssertionError withUrl = new AssertionError(failure.getMessage() + " [page: " + url + "]", failure.getCause());
			withUrl.setStackTrace(failure.getStackTrace());
			throw withUrl;
		}
	}

	/**
	 * Polls an async script (see {@link #call}) that returns an object with a boolean
	 * {@code ok} and whatever describes the state; returns that object once {@code ok} is true.
	 */
	public Map<String, Object> awaitScript(String what, Duration timeout, String body, Object... args) {
		return await(what, timeout, () -> callForMap(body, args), state -> Boolean.TRUE.equals(state.get("ok")));
	}

	/** Browser console messages since the last call (Chromium's log, all levels). */
	public List<String> consoleLog() {
		try {
			for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
				this.consoleSeen.add(Instant.ofEpochMilli(entry.getTimestamp()) + " " + entry.getLevel() + " "
						+ entry.getMessage());
			}
		}
		catch (WebDriverException | UnsupportedOperationException ex) {
			this.consoleSeen.add("(console log unavailable: " + firstLine(ex) + ")");
		}
		return List.copyOf(this.consoleSeen);
	}

	/**
	 * Writes {@code <name>.png}, {@code <name>-console.log}, {@code <name>.html} and, when the page has
	 * a {@link CallMonitor}, {@code <name>-monitor.txt} into {@code dir}.
	 */
	public void saveArtifacts(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			System.err.println("[confab-e2e] cannot create " + dir + ": " + ex);
			return;
		}
		StringBuilder header = new StringBuilder();
		try {
			header.append("url: ").append(this.driver.getCurrentUrl()).append('\n');
		}
		catch (WebDriverException ex) {
			header.append("url: unavailable (").append(firstLine(ex)).append(")\n");
		}
		try {
			Files.write(dir.resolve(this.name + ".png"), this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (WebDriverException | IOException ex) {
			header.append("screenshot failed: ").append(firstLine(ex)).append('\n');
		}
		try {
			Files.writeString(dir.resolve(this.name + ".html"), this.driver.getPageSource(), StandardCharsets.UTF_8);
		}
		catch (WebDriverException | IOException ex) {
			header.append("page source failed: ").append(firstLine(ex)).append('\n');
		}
		try {
			// What a CallMonitor in the page saw up to the failure, if one was installed.
			if (Boolean.TRUE.equals(this.driver.executeScript("return !!window.__confabMonitor;"))) {
				CallMonitor.Report report = CallMonitor.read(this);
				Files.writeString(dir.resolve(this.name + "-monitor.txt"),
						report.summary() + "\n\n" + JSON.toJson(report.raw()) + "\n", StandardCharsets.UTF_8);
				System.err.println("[confab-e2e] call monitor at the failure: " + report.summary());
			}
		}
		catch (WebDriverException | AssertionError | IOException ex) {
			header.append("call monitor unavailable: ").append(firstLine(ex)).append('\n');
		}
		try {
			Files.writeString(dir.resolve(this.name + "-console.log"),
					header + String.join("\n", consoleLog()) + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			System.err.println("[confab-e2e] cannot write console log of " + this.name + ": " + ex);
		}
	}

	void quit() {
		try {
			this.driver.quit();
		}
		catch (WebDriverException ex) {
			// the harness kills whatever is left when the namespace goes
		}
	}

	static String firstLine(Throwable ex) {
		String message = String.valueOf(ex.getMessage());
		int newline = message.indexOf('\n');
		return newline < 0 ? message : message.substring(0, newline);
	}

	@Override
	public String toString() {
		return "Browser[" + this.name + "]";
	}

}
