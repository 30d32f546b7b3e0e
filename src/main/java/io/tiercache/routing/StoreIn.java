package io.tiercache.routing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the tier that values of the annotated class belong in, for caches whose strategy is
 * {@code annotation}. Inherited by subclasses.
 *
 * <pre>{@code @StoreIn(TierNames.ROCKSDB) public final class Report { ... }}</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StoreIn {

  /** The tier's name, one of {@link TierNames}. */
  String value();
}
