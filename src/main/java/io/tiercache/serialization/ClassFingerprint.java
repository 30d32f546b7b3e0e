package io.tiercache.serialization;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The layout of a class as field-by-field serialization sees it: every non-static, non-transient field of the
 * class and its superclasses, by declaring class, name and type, hashed into eight hex digits. Two versions
 * of a class with the same fingerprint read each other's field-by-field bytes; a different fingerprint means
 * a field was added, removed, renamed or retyped.
 */
final class ClassFingerprint {

  private static final ClassValue<String> CACHE = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return compute(type);
    }
  };

  private ClassFingerprint() { }

  /** Returns the fingerprint of {@code type}. */
  static String of(Class<?> type) {
    return CACHE.get(type);
  }

  private static String compute(Class<?> type) {
    List<String> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
          fields.add(c.getName() + "." + field.getName() + ":" + field.getType().getName());
        }
      }
    }
    fields.sort(null);
    CRC32C crc = new CRC32C();
    for (String field : fields) {
      crc.update((field + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return String.format("%08x", crc.getValue());
  }
}
