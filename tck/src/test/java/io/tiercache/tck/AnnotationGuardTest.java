package io.tiercache.tck;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import domain.Blog;
import io.tiercache.cdi.Interception;
import java.util.Iterator;
import java.util.ServiceLoader;
import javax.cache.annotation.BeanProvider;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import org.junit.Test;

/**
 * Runs beside the TCK's annotation tests, which pass without checking anything when no BeanProvider is found
 * (and half of which cannot tell whether caching happened). This guard fails the run unless the TCK finds
 * our provider and its beans are really intercepted.
 */
public class AnnotationGuardTest {

  @Test
  public void theTckFindsOurBeanProviderAndItsBeansAreIntercepted() {
    // the same lookup AbstractInterceptionTest does
    Iterator<BeanProvider> providers = ServiceLoader.load(BeanProvider.class).iterator();
    assertTrue("no javax.cache.annotation.BeanProvider on the TCK class path", providers.hasNext());
    BeanProvider provider = providers.next();
    assertTrue("the TCK would use " + provider.getClass().getName(), provider instanceof WeldBeanProvider);

    ClassLevelCacheConfigBlogManagerImpl blogs = provider.getBeanByType(ClassLevelCacheConfigBlogManagerImpl.class);
    long before = Interception.interceptedCalls();
    String title = "guard-" + System.nanoTime();
    Blog blog = new Blog(title, "body");
    blogs.createEntry(blog);
    Blog first = blogs.getEntryCached(title);
    blogs.clearEntry(title); // the raw map forgets it; only the cache still knows
    Blog second = blogs.getEntryCached(title);
    assertNotNull("the second call must be answered by the cache, not the method", second);
    assertEquals(first.getTitle(), second.getTitle());
    assertTrue("the interceptors saw no call", Interception.interceptedCalls() >= before + 2);
    assertSame(provider.getClass(), WeldBeanProvider.class);
  }
}
