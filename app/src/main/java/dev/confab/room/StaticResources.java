package dev.confab.room;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * How browsers may cache the page's scripts and styles. Without this, Spring Security marks every
 * response no-store, so a reload mid-call fetched some thirty files again before the page could
 * resume its call. Webjar URLs name their version, so they never change: cached for a year. Confab's
 * own modules import each other by plain paths that a deploy changes in place: revalidated on every
 * use (304 when unchanged), so a page never mixes modules of two versions.
 */
@Configuration(proxyBeanMethods = false)
class StaticResources implements WebFluxConfigurer {

	private static final CacheControl VERSIONED = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private static final CacheControl REVALIDATE = CacheControl.noCache();

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler("/webjars/**")
				.addResourceLocations("classpath:/META-INF/resources/webjars/")
				.setCacheControl(VERSIONED);
		registry.addResourceHandler("/js/**")
				.addResourceLocations("classpath:/META-INF/resources/js/")
				.setCacheControl(REVALIDATE);
		registry.addResourceHandler("/css/**")
				.addResourceLocations("classpath:/META-INF/resources/css/")
				.setCacheControl(REVALIDATE);
	}
}
