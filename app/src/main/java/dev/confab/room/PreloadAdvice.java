package dev.confab.room;

import java.util.List;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every view the stylesheet's parts as {@code stylePreloads}, for the head's preload hints,
 * and {@code assets}, the versioned URLs of scripts and styles ({@code ${assets.url('/css/confab.css')}}).
 */
@ControllerAdvice
class PreloadAdvice {

	private final Preloads preloads;

	private final AssetVersion assets;

	PreloadAdvice(Preloads preloads, AssetVersion assets) {
		this.preloads = preloads;
		this.assets = assets;
	}

	@ModelAttribute("assets")
	AssetVersion assets() {
		return this.assets;
	}

	@ModelAttribute("stylePreloads")
	List<String> stylePreloads() {
		return this.preloads.styleParts();
	}
}
