package dev.confab.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scrape of {@code /actuator/prometheus} (Prometheus text format), as Prometheus would take it
 * from an instance's management port, read into series a test can sum.
 */
public final class MetricsScrape {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	/** {@code name{label="value",...} number}, the optional timestamp ignored. */
	private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+).*");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/** One sample line. */
	public record Series(String name, Map<String, String> labels, double value) {
	}

	private final String text;

	private final List<Series> series;

	private MetricsScrape(String text, List<Series> series) {
		this.text = text;
		this.series = series;
	}

	/** GETs {@code <baseUrl>/actuator/prometheus} without any login, which must answer 200. */
	public static MetricsScrape of(String baseUrl) {
		HttpResponse<String> response = get(baseUrl + "/actuator/prometheus");
		assertThat(response.statusCode()).as("GET %s/actuator/prometheus", baseUrl).isEqualTo(200);
		return parse(response.body());
	}

	/** {@link #of(String)} on {@code http://localhost:<port>}. */
	public static MetricsScrape of(int port) {
		return of("http://localhost:" + port);
	}

	/** A plain GET without cookies, not following redirects: what a scraper or a stranger sees. */
	public static HttpResponse<String> get(String url) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("GET " + url, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static MetricsScrape parse(String text) {
		List<Series> all = new ArrayList<>();
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.isBlank() || line.startsWith("#") || !sample.matches()) {
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			all.add(new Series(sample.group(1), labels, number(sample.group(3))));
		}
		return new MetricsScrape(text, all);
	}

	/** Go's spelling of the infinities (bucket bounds, empty gauges), or a Java double. */
	private static double number(String text) {
		return switch (text) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(text);
		};
	}

	/**
	 * The sum of every series called {@code name} whose labels include these pairs
	 * ({@code "command", "SEND", ...}); 0 when there is none.
	 */
	public double value(String name, String... labelPairs) {
		return matching(name, labelPairs).stream().mapToDouble(Series::value).sum();
	}

	/** Every series called {@code name} whose labels include these pairs. */
	public List<Series> matching(String name, String... labelPairs) {
		assertThat(labelPairs.length % 2).as("label name and value pairs").isZero();
		return this.series.stream().filter(s -> s.name().equals(name)).filter(s -> {
			for (int i = 0; i < labelPairs.length; i += 2) {
				if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
					return false;
				}
			}
			return true;
		}).toList();
	}

	/** The scrape as served. */
	public String text() {
		return this.text;
	}
}
