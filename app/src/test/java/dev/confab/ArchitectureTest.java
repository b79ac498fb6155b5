package dev.confab;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package picture of docs/architecture.md, as rules the build checks. */
@AnalyzeClasses(packages = "dev.confab", importOptions = ArchitectureTest.MainClassesOnly.class)
class ArchitectureTest {

	/** Production classes only, whatever the build output folder is called. */
	static final class MainClassesOnly implements ImportOption {

		@Override
		public boolean includes(com.tngtech.archunit.core.importer.Location location) {
			return !location.contains("/test-classes/");
		}
	}

	@ArchTest
	static final ArchRule featurePackagesHaveNoCycles = slices().matching("dev.confab.(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule signalingNeverTouchesTheTransport = noClasses().that().resideInAnyPackage("dev.confab.call..",
			"dev.confab.room..", "dev.confab.chat..")
		.should().dependOnClassesThat().resideInAnyPackage("dev.confab.stomp..", "org.springframework.web.reactive.socket..",
				"org.springframework.messaging.simp.stomp..");

	@ArchTest
	static final ArchRule sessionContractsStandAlone = noClasses().that().resideInAPackage("dev.confab.session..")
		.should().dependOnClassesThat().resideInAnyPackage("dev.confab.stomp..", "dev.confab.call..", "dev.confab.room..",
				"dev.confab.chat..", "dev.confab.identity..");

	@ArchTest
	static final ArchRule identityKnowsNothingOfCalls = noClasses().that().resideInAPackage("dev.confab.identity..")
		.should().dependOnClassesThat().resideInAnyPackage("dev.confab.stomp..", "dev.confab.call..", "dev.confab.room..",
				"dev.confab.chat..");

	@ArchTest
	static final ArchRule transportKnowsNoFeature = noClasses().that().resideInAPackage("dev.confab.stomp..")
		.should().dependOnClassesThat().resideInAnyPackage("dev.confab.call..", "dev.confab.room..", "dev.confab.chat..");

	/** Chat rides on the call (who is in it, the room's lock, sends), the session contract and the rate limits. */
	@ArchTest
	static final ArchRule chatBuildsOnTheCallOnly = noClasses().that().resideInAPackage("dev.confab.chat..")
		.should().dependOnClassesThat().resideInAnyPackage("dev.confab.room..", "dev.confab.identity..",
				"dev.confab.cluster..", "dev.confab.ice..");

	@ArchTest
	static final ArchRule noServletStack = noClasses().should().dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..", "org.springframework.web.socket..");
}
