package com.example.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The RocksDB tier outlives the application: a product cached by one run of the application is served to
 * the next run, over the same directory, whose repository is empty.
 */
class ProductCacheRestartTest {

  @Test
  void aCachedProductSurvivesARestart(@TempDir Path temp) {
    String directory = "--catalog.cache.directory=" + temp.resolve("tiercache");
    Product cup = new Product(1, "Espresso cup", new BigDecimal("7.50"), List.of("kitchen", "porcelain"));

    javax.cache.CacheManager firstManager;
    try (ConfigurableApplicationContext first = start(directory)) {
      first.getBean(ProductRepository.class).store(cup);
      first.getBean(ProductService.class).find(1);
      firstManager = first.getBean(javax.cache.CacheManager.class);
    }
    // otherwise the second run would be handed the same open manager, and prove nothing about the disk
    assertThat(firstManager.isClosed()).as("cache manager closed with the first run").isTrue();

    try (ConfigurableApplicationContext second = start(directory)) {
      assertThat(second.getBean(ProductService.class).find(1)).isEqualTo(cup);
      assertThat(second.getBean(ProductRepository.class).loads()).as("loads in the second run").isZero();
    }
  }

  private static ConfigurableApplicationContext start(String... args) {
    return new SpringApplicationBuilder(CatalogApplication.class).main(CatalogApplication.class)
        .web(WebApplicationType.NONE).run(args);
  }
}
