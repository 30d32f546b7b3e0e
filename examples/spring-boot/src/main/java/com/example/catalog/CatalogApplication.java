package com.example.catalog;

import java.math.BigDecimal;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A catalog whose product lookups are cached by Spring's cache abstraction in a tiercache composite cache:
 * heap in front, RocksDB behind. Run it twice ({@code mvn spring-boot:run}): the second run finds the
 * product in RocksDB and never loads it from the repository.
 */
@SpringBootApplication
@EnableCaching
public class CatalogApplication {

  /** Starts the application, looks a product up three times, reports how many lookups missed, and stops. */
  public static void main(String[] args) {
    try (ConfigurableApplicationContext context = SpringApplication.run(CatalogApplication.class, args)) {
      ProductRepository repository = context.getBean(ProductRepository.class);
      ProductService products = context.getBean(ProductService.class);
      repository.store(new Product(1, "Espresso cup", new BigDecimal("7.50"), List.of("kitchen", "porcelain")));
      for (int i = 0; i < 3; i++) {
        System.out.println("find(1) -> " + products.find(1));
      }
      System.out.println("loads that reached the repository: " + repository.loads()
          + " (0 when an earlier run left the product in the RocksDB tier)");
    }
  }
}
