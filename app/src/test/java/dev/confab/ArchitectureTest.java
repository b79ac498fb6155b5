package dev.confab;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import dev.confab.support.RepositoryFiles;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package picture of docs/architecture.md as an allow-list: the table "Allowed dependencies"
 * there names, for every package, the packages of Confab's it may use. The code may use no
 * other, every arrow of the table is used, and every package is in the table, so neither the
 * picture nor the code can drift from the other.
 */
@AnalyzeClasses(packages = "dev.confab", importOptions = ArchitectureTest.MainClassesOnly.class)
class ArchitectureTest {

	private static final String ROOT = "dev.confab";

	private static final String DOCUMENT = "docs/architecture.md";

	/** A row of the table: {@code | `call` | `session`, `cluster` |} ("nothing" for none). */
	private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\| (.+?) \\|");

	private static final Pattern NAME = Pattern.compile("`([a-z]+)`");

	/** Production classes only, whatever the build output folder is called. */
	static final class MainClassesOnly implements ImportOption {

		@Override
		public boolean includes(Location location) {
			return !location.contains("/test-classes/");
		}
	}

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(new MainClassesOnly())
		.importPackages(ROOT);

	@ArchTest
	static final ArchRule featurePackagesHaveNoCycles = slices().matching("dev.confab.(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule signalingNeverTouchesTheTransport = noClasses().that().resideInAnyPackage("dev.confab.call..",
			"dev.confab.room..", "dev.confab.chat..")
		.should().dependOnClassesThat().resideInAnyPackage("dev.confab.stomp..", "org.springframework.web.reactive.socket..",
				"org.springframework.messaging.simp.stomp..");

	@ArchTest
	static final ArchRule noServletStack = noClasses().should().dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..", "org.springframework.web.socket..");

	@Test
	void everyDependencyIsInThePicture() throws IOException {
		Map<String, Set<String>> allowed = documentedPicture();
		List<String> outside = new ArrayList<>();
		used().forEach((from, uses) -> uses.forEach((to, example) -> {
			if (!allowed.getOrDefault(from, Set.of()).contains(to)) {
				outside.add(from + " -> " + to + " (" + example + ")");
			}
		}));
		assertThat(outside).as("dependencies that the table in %s does not allow", DOCUMENT).isEmpty();
	}

	@Test
	void everyArrowOfThePictureIsUsed() throws IOException {
		Map<String, Map<String, String>> used = used();
		List<String> unused = new ArrayList<>();
		documentedPicture().forEach((from, tos) -> tos.stream()
			.filter(to -> !used.getOrDefault(from, Map.of()).containsKey(to))
			.forEach(to -> unused.add(from + " -> " + to)));
		assertThat(unused).as("arrows of the table in %s that no class uses", DOCUMENT).isEmpty();
	}

	@Test
	void everyPackageIsInThePicture() throws IOException {
		Set<String> packages = new TreeSet<>();
		for (JavaClass type : CLASSES) {
			String feature = featureOf(type);
			if (feature != null) {
				packages.add(feature);
			}
		}
		assertThat(documentedPicture().keySet()).as("packages in the table of %s", DOCUMENT)
			.containsExactlyInAnyOrderElementsOf(packages);
	}

	/** Feature package → feature package it uses → one dependency that shows it. */
	private static Map<String, Map<String, String>> used() {
		Map<String, Map<String, String>> used = new TreeMap<>();
		for (JavaClass type : CLASSES) {
			String from = featureOf(type);
			if (from == null) {
				continue;
			}
			for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
				String to = featureOf(dependency.getTargetClass());
				if (to != null && !to.equals(from)) {
					used.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, dependency.getDescription());
				}
			}
		}
		return used;
	}

	/** {@code call} for {@code dev.confab.call.CallService}; null outside the feature packages. */
	private static String featureOf(JavaClass type) {
		String name = type.getPackageName();
		if (!name.startsWith(ROOT + ".")) {
			return null;
		}
		String rest = name.substring(ROOT.length() + 1);
		int dot = rest.indexOf('.');
		return dot < 0 ? rest : rest.substring(0, dot);
	}

	private static Map<String, Set<String>> documentedPicture() throws IOException {
		Map<String, Set<String>> picture = new TreeMap<>();
		boolean inTable = false;
		for (String line : Files.readAllLines(RepositoryFiles.find(DOCUMENT))) {
			if (line.startsWith("| package | may use")) {
				inTable = true;
				continue;
			}
			if (inTable && !line.startsWith("|")) {
				break;
			}
			Matcher row = ROW.matcher(line);
			if (inTable && row.find()) {
				Set<String> uses = new TreeSet<>();
				Matcher name = NAME.matcher(row.group(2));
				while (name.find()) {
					uses.add(name.group(1));
				}
				picture.put(row.group(1), uses);
			}
		}
		assertThat(picture).as("the table \"| package | may use |\" in %s", DOCUMENT).isNotEmpty();
		return picture;
	}
}
