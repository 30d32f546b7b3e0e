package io.tiercache.tck;

import javax.cache.annotation.BeanProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Hands the TCK's annotation tests their beans from a Weld SE container, so the calls go through tiercache's
 * CDI interceptors. Found by the TCK with ServiceLoader. The container knows the TCK's {@code manager} beans
 * and tiercache's portable extension.
 */
public final class WeldBeanProvider implements BeanProvider {

  private static final WeldContainer CONTAINER = new Weld("tiercache-tck")
      .disableDiscovery()
      // a synthetic archive loads no ServiceLoader extensions, so tiercache's is added by hand
      .addExtension(new io.tiercache.cdi.CacheAnnotationsExtension())
      .addBeanClasses(manager.ClassLevelCacheConfigBlogManagerImpl.class,
          manager.CacheNameOnEachMethodBlogManagerImpl.class, manager.UsingDefaultCacheNameBlogManagerImpl.class)
      .initialize();

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return CONTAINER.select(beanClass).get();
  }
}
