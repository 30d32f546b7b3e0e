package io.tiercache.management;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/**
 * The {@link CacheMXBean} of one cache: a read-only view of its configuration. Internal: not API.
 */
public final class CacheConfigurationBean implements CacheMXBean {

  private final CompleteConfiguration<?, ?> configuration;
  private final java.util.function.BooleanSupplier statisticsEnabled;
  private final java.util.function.BooleanSupplier managementEnabled;

  /**
   * @param configuration the cache's configuration
   * @param statisticsEnabled the live statistics switch
   * @param managementEnabled the live management switch
   */
  public CacheConfigurationBean(CompleteConfiguration<?, ?> configuration,
      java.util.function.BooleanSupplier statisticsEnabled, java.util.function.BooleanSupplier managementEnabled) {
    this.configuration = configuration;
    this.statisticsEnabled = statisticsEnabled;
    this.managementEnabled = managementEnabled;
  }

  @Override
  public String getKeyType() {
    return configuration.getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return configuration.getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return configuration.isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return configuration.isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return configuration.isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return statisticsEnabled.getAsBoolean();
  }

  @Override
  public boolean isManagementEnabled() {
    return managementEnabled.getAsBoolean();
  }
}
