package io.tiercache.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.enterprise.inject.spi.InterceptionType;
import jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator;
import jakarta.enterprise.util.Nonbinding;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * <p><b>Another implementation of the annotations.</b> An application may already enable interceptors of its
 * own (or another library's) for the same annotations; both running would cache every result twice and
 * cache exceptions twice. So when the container enables any other interceptor bound to one of the four
 * annotations, tiercache's step aside (they let calls through untouched) and one INFO line names the other
 * interceptors. The system property {@value #MODE_PROPERTY} decides: {@code auto} (the default) as just
 * described, {@code on} to intercept whatever else is enabled, {@code off} never to intercept.
 *
 * <p>Registered through {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}, so a container on
 * the class path finds it; applications without CDI never load it.
 */
public class CacheAnnotationsExtension implements Extension {

  /** The system property that says whether tiercache's interceptors run: {@code auto}, {@code on}, {@code off}. */
  public static final String MODE_PROPERTY = "tiercache.cdi.interceptors";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CacheAnnotationsExtension.class);

  private static final Class<?>[] INTERCEPTORS = {
      CacheResultInterceptor.class, CachePutInterceptor.class, CacheRemoveInterceptor.class,
      CacheRemoveAllInterceptor.class};

  /** An instance of each annotation (their members are non-binding, so their values do not matter). */
  private static final List<Annotation> BINDINGS = bindings();

  /** Other enabled interceptors bound to the annotations, by class name. */
  private final Set<String> others = new TreeSet<>();
  private volatile boolean active = true;

  void registerBindings(@Observes BeforeBeanDiscovery discovery, BeanManager beanManager) {
    bind(discovery, CacheResult.class);
    bind(discovery, CachePut.class);
    bind(discovery, CacheRemove.class);
    bind(discovery, CacheRemoveAll.class);
    for (Class<?> interceptor : INTERCEPTORS) {
      discovery.addAnnotatedType(interceptor, "tiercache." + interceptor.getSimpleName());
    }
  }

  /**
   * Asks the container which interceptors it runs for each annotation, once everything is deployed: only
   * enabled ones count (a discovered but disabled interceptor, or one enabled in another archive only, runs
   * nowhere near these calls), which is why this is not decided while beans are processed.
   */
  void decide(@Observes AfterDeploymentValidation validation, BeanManager beanManager) {
    for (Annotation binding : BINDINGS) {
      for (Interceptor<?> interceptor : beanManager.resolveInterceptors(InterceptionType.AROUND_INVOKE, binding)) {
        if (!List.of(INTERCEPTORS).contains(interceptor.getBeanClass())) {
          others.add(interceptor.getBeanClass().getName());
        }
      }
    }
    String mode = System.getProperty(MODE_PROPERTY, "auto").trim();
    switch (mode) {
      case "on":
        active = true;
        break;
      case "off":
        active = false;
        LOG.info("tiercache's interceptors for the JSR-107 caching annotations are off ({}=off)", MODE_PROPERTY);
        break;
      case "auto":
        active = others.isEmpty();
        if (!active) {
          LOG.info("Another interceptor for the JSR-107 caching annotations is enabled ({}), so tiercache's step"
              + " aside and each annotated call is intercepted once. To use tiercache's instead, disable those"
              + " and set -D{}=on.", String.join(", ", others), MODE_PROPERTY);
        }
        break;
      default:
        validation.addDeploymentProblem(new IllegalArgumentException("The system property " + MODE_PROPERTY
            + " is '" + mode + "'; allowed: auto (the default: step aside when another interceptor for the"
            + " JSR-107 annotations is enabled), on, off"));
    }
  }

  /** Returns false when tiercache's interceptors let calls through, another implementation being enabled. */
  public boolean active() {
    return active;
  }

  private static List<Annotation> bindings() {
    try {
      java.lang.reflect.Method annotated = Annotated.class.getDeclaredMethod("method");
      return List.of(annotated.getAnnotation(CacheResult.class), annotated.getAnnotation(CachePut.class),
          annotated.getAnnotation(CacheRemove.class), annotated.getAnnotation(CacheRemoveAll.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Carries one instance of each annotation, read reflectively: simpler than four hand-written literals. */
  private static final class Annotated {
    @CacheResult
    @CachePut
    @CacheRemove
    @CacheRemoveAll
    void method() {
    }
  }

  private static <A extends Annotation> void bind(BeforeBeanDiscovery discovery, Class<A> annotation) {
    AnnotatedTypeConfigurator<A> binding = discovery.configureInterceptorBinding(annotation);
    binding.methods().forEach(member -> member.add(Nonbinding.Literal.INSTANCE));
  }
}
