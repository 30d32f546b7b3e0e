package io.tiercache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layer rules, checked on every build so they cannot erode. */
@AnalyzeClasses(packages = "io.tiercache", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Storage knows nothing of JCache: tier failures are our own exceptions, translated by the cache. */
  @ArchTest
  static final ArchRule storageNeverReachesTheJCacheApi = noClasses()
      .that().resideInAnyPackage("io.tiercache.tier..", "io.tiercache.routing..",
          "io.tiercache.serialization..", "io.tiercache.persistence..")
      .should().dependOnClassesThat().resideInAPackage("javax.cache..");

  /** Tiers use only the tier SPI, serialization and their engines: never the cache layer above them. */
  @ArchTest
  static final ArchRule tiersNeverReachTheCacheLayer = classes()
      .that().resideInAPackage("io.tiercache.tier..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.tiercache.tier..", "io.tiercache.serialization..",
          "java..", "org.slf4j..", "com.github.benmanes.caffeine..", "org.mapdb..", "org.rocksdb..",
          "io.lettuce..", "io.netty..", "reactor..", "javax.net.ssl..");

  /** Engines never import each other; the byte-storing ones share only tier.serialized. */
  @ArchTest
  static final ArchRule enginesAreIndependent = slices()
      .matching("io.tiercache.tier.(heap|mapdb|rocksdb|redis)..")
      .should().notDependOnEachOther();

  /** No package depends on itself through others. */
  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.tiercache.(**)").should().beFreeOfCycles();

  /** Nothing below the cache layer depends on it (the root package assembles everything else). */
  @ArchTest
  static final ArchRule nothingDependsOnTheCacheLayer = noClasses()
      .that().resideOutsideOfPackages("io.tiercache", "io.tiercache.demo..", "io.tiercache.spi..",
          "io.tiercache.cli..")
      .should().dependOnClassesThat().resideInAPackage("io.tiercache");

  /** The provider is found through the spi package alone. */
  @ArchTest
  static final ArchRule theProviderLivesInSpi = classes()
      .that().implement(javax.cache.spi.CachingProvider.class)
      .should().resideInAPackage("io.tiercache.spi");

  /** The demo is an example, not part of the library: nothing depends on it but the command that runs it. */
  @ArchTest
  static final ArchRule nothingDependsOnTheDemo = noClasses()
      .that().resideOutsideOfPackages("io.tiercache.demo..", "io.tiercache.cli..")
      .should().dependOnClassesThat().resideInAPackage("io.tiercache.demo..");

  /** Micrometer is optional: only the binder touches it, so applications without it never load it. */
  @ArchTest
  static final ArchRule onlyTheBinderUsesMicrometer = noClasses()
      .that().resideOutsideOfPackage("io.tiercache.metrics..")
      .should().dependOnClassesThat().resideInAPackage("io.micrometer..");

  /** picocli and Jackson are optional: only the command line uses them, and the library never uses it. */
  @ArchTest
  static final ArchRule onlyTheCommandLineUsesItsLibraries = noClasses()
      .that().resideOutsideOfPackage("io.tiercache.cli..")
      .should().dependOnClassesThat().resideInAnyPackage("picocli..", "com.fasterxml.jackson..",
          "io.tiercache.cli..");
}
