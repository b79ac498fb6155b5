package dev.confab.room;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * How browsers may cache the page's scripts and styles. Without this, Spring Security marks every
 * response no-store, so a reload mid-call fetched every file again before the page could resume
 * its call. Webjar URLs name their version, and pages name Confab's own files under their content
 * version ({@link AssetVersion}: {@code /js/v<version>/...}, which their relative imports keep):
 * both never change, cached for a year. The plain paths ({@code /js/pages/room.js}) stay served for
 * what names them without a version (an error page), revalidated on every use.
 */
@Configuration(proxyBeanMethods = false)
class StaticResources implements WebFluxConfigurer {

	private static final CacheControl VERSIONED = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private static final CacheControl REVALIDATE = CacheControl.noCache();

	private final AssetVersion assets;

	StaticResources(AssetVersion assets) {
		this.assets = assets;
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler("/webjars/**")
				.addResourceLocations("classpath:/META-INF/resources/webjars/")
				.setCacheControl(VERSIONED);
		for (String root : new String[] { "js", "css" }) {
			// The more specific pattern wins over the plain one below.
			registry.addResourceHandler("/" + root + "/" + this.assets.segment() + "/**")
					.addResourceLocations("classpath:/META-INF/resources/" + root + "/")
					.setCacheControl(VERSIONED);
			registry.addResourceHandler("/" + root + "/**")
					.addResourceLocations("classpath:/META-INF/resources/" + root + "/")
					.setCacheControl(REVALIDATE);
		}
	}
}
