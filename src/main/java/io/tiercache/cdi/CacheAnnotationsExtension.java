package io.tiercache.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator;
import jakarta.enterprise.util.Nonbinding;
import java.lang.annotation.Annotation;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Makes JSR-107's caching annotations work under Jakarta CDI 4. They are not interceptor bindings by
 * themselves, and their members carry the old {@code javax} {@code @Nonbinding}, which a Jakarta container
 * ignores; so without this extension {@code @CacheResult(cacheName = "x")} would silently not be intercepted.
 * It registers each annotation as an interceptor binding whose members are all non-binding, and adds the four
 * interceptors, which are enabled globally by their {@code @Priority}.
 *
 * <p>Registered through {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}, so a container on
 * the class path finds it; applications without CDI never load it.
 */
public class CacheAnnotationsExtension implements Extension {

  private static final Class<?>[] INTERCEPTORS = {
      CacheResultInterceptor.class, CachePutInterceptor.class, CacheRemoveInterceptor.class,
      CacheRemoveAllInterceptor.class};

  void registerBindings(@Observes BeforeBeanDiscovery discovery, BeanManager beanManager) {
    bind(discovery, CacheResult.class);
    bind(discovery, CachePut.class);
    bind(discovery, CacheRemove.class);
    bind(discovery, CacheRemoveAll.class);
    for (Class<?> interceptor : INTERCEPTORS) {
      discovery.addAnnotatedType(interceptor, "tiercache." + interceptor.getSimpleName());
    }
  }

  private static <A extends Annotation> void bind(BeforeBeanDiscovery discovery, Class<A> annotation) {
    AnnotatedTypeConfigurator<A> binding = discovery.configureInterceptorBinding(annotation);
    binding.methods().forEach(member -> member.add(Nonbinding.Literal.INSTANCE));
  }
}
