package io.tiercache.serialization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The classes a serializer may instantiate when it reads data. A pattern is a class name
 * ({@code com.example.Order}), a package ({@code com.example.*}: classes directly in it) or a package tree
 * ({@code com.example.**}). Arrays are allowed when their component type is. A built-in set of JDK value and
 * collection types is always allowed; it contains nothing that can run code while it is being read.
 */
public final class ClassAllowlist {

  /** JDK types every allowlist accepts. */
  static final List<String> BUILT_IN = List.of(
      "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
      "java.lang.Object", "java.lang.Enum",
      "java.math.BigInteger", "java.math.BigDecimal",
      "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap",
      "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
      "java.util.TreeSet", "java.util.EnumMap", "java.util.Date", "java.util.UUID", "java.util.Locale",
      "java.util.Optional", "java.util.Arrays$ArrayList", "java.util.BitSet",
      "java.util.Collections$EmptyList", "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet",
      "java.util.Collections$SingletonList", "java.util.Collections$SingletonMap",
      "java.util.Collections$SingletonSet", "java.util.concurrent.ConcurrentHashMap",
      "java.net.URI", "java.time.**", "java.sql.Date", "java.sql.Timestamp",
      "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
      "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
      "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
      "java.util.ImmutableCollections$SubList",
      // Interfaces frameworks declare arrays of (Hibernate's second-level cache stores Serializable[]): they are
      // never instantiated, and each element of such an array is written with its own class, checked on its own
      "java.io.Serializable", "java.lang.Comparable", "java.lang.CharSequence",
      // what tiercache itself stores: the keys its JCache annotations generate
      "io.tiercache.annotation.DefaultGeneratedCacheKey");

  private final List<String> exact = new ArrayList<>();
  private final List<String> packages = new ArrayList<>();
  private final List<String> trees = new ArrayList<>();
  private final ConcurrentMap<String, Boolean> verdicts = new ConcurrentHashMap<>();

  private ClassAllowlist(Collection<String> patterns) {
    for (String pattern : patterns) {
      String trimmed = pattern.trim();
      if (trimmed.endsWith(".**")) {
        trees.add(trimmed.substring(0, trimmed.length() - 2));
      } else if (trimmed.endsWith(".*")) {
        packages.add(trimmed.substring(0, trimmed.length() - 1));
      } else if (!trimmed.isEmpty()) {
        exact.add(trimmed);
      }
    }
  }

  /**
   * Returns an allowlist of the built-in JDK types plus {@code patterns}.
   *
   * @throws IllegalArgumentException if a pattern is malformed, naming it
   */
  public static ClassAllowlist of(Collection<String> patterns) {
    List<String> all = new ArrayList<>(BUILT_IN);
    for (String pattern : patterns) {
      validate(pattern);
      all.add(pattern);
    }
    return new ClassAllowlist(all);
  }

  /**
   * Checks a pattern's shape: a dotted Java name, optionally ending in {@code .*} or {@code .**}. Patterns
   * that would open whole platforms ({@code java.*}, {@code javax.**}, {@code org.**}) are refused: they would
   * allow the classes deserialization attacks are built from.
   */
  public static void validate(String pattern) {
    if (pattern == null || !pattern.trim().matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*(\\.\\*\\*?)?")) {
      throw new IllegalArgumentException("'" + pattern + "' is not a class allowlist pattern; use a class name "
          + "(com.example.Order), a package (com.example.*) or a package tree (com.example.**)");
    }
    String trimmed = pattern.trim();
    if (!trimmed.endsWith("*") && GadgetDenylist.denies(trimmed)) {
      throw new IllegalArgumentException("allowlist entry '" + pattern + "' names a class deserialization attacks"
          + " are built from; tiercache never reads one from storage, whatever the allowlist says");
    }
    if (trimmed.endsWith("*") && GadgetDenylist.deniesPackage(trimmed.substring(0, trimmed.indexOf('*')))) {
      throw new IllegalArgumentException("allowlist pattern '" + pattern + "' opens a package deserialization"
          + " attacks are built from; tiercache never reads its classes from storage, whatever the allowlist says");
    }
    if (trimmed.endsWith("*")) {
      String prefix = trimmed.substring(0, trimmed.indexOf('*') - 1);
      boolean platform = prefix.matches("(java|javax|jdk|sun|com\\.sun)(\\..*)?");
      boolean everyone = prefix.matches("org|com|net|io|edu|gov|de|uk|fr|nl|ch|jp|cn");
      if (platform || everyone) {
        throw new IllegalArgumentException("allowlist pattern '" + pattern + "' is too broad: it would let"
            + " stored data instantiate " + (platform ? "JDK internals" : "every class under '" + prefix + "'")
            + "; name your own packages (com.example.*) or single JDK classes");
      }
    }
  }

  /**
   * Returns the pattern to add to the allowlist so that {@code className} is allowed: its package
   * ({@code com.example.*}) for an application class, the class itself for a JDK class (whose packages cannot
   * be opened), the element class for an array. Always a pattern {@link #validate} accepts.
   */
  public static String advice(String className) {
    String element = className.replaceFirst("^\\[+L?", "").replaceFirst(";$", "");
    int lastDot = element.lastIndexOf('.');
    if (lastDot < 0 || element.matches("(java|javax|jdk|sun|com\\.sun)\\..*")) {
      return element;
    }
    String packagePattern = element.substring(0, lastDot) + ".*";
    try {
      validate(packagePattern);
      return packagePattern;
    } catch (IllegalArgumentException tooBroad) {
      return element; // a class in a top-level package such as org.Foo
    }
  }

  /** Returns true when {@code className} is a known deserialization gadget, refused whatever the patterns say. */
  public static boolean isGadget(String className) {
    String element = className.replaceFirst("^\\[+L?", "").replaceFirst(";$", "");
    return element.contains(".") && GadgetDenylist.denies(element);
  }

  /** Returns true when instances of the named class may be read. */
  public boolean allows(String className) {
    Boolean verdict = verdicts.get(className);
    if (verdict == null) {
      verdict = decide(className);
      verdicts.put(className, verdict);
    }
    return verdict;
  }

  private boolean decide(String className) {
    String name = className;
    if (!name.startsWith("[") && GadgetDenylist.denies(name)) {
      return false; // whatever pattern would admit it
    }
    if (name.startsWith("[")) {
      String component = name.replaceFirst("^\\[+", "");
      if (component.length() == 1) {
        return true; // arrays of primitives
      }
      if (component.startsWith("L") && component.endsWith(";")) {
        return allows(component.substring(1, component.length() - 1));
      }
      return false;
    }
    if (exact.contains(name)) {
      return true;
    }
    int lastDot = name.lastIndexOf('.');
    String packagePrefix = lastDot < 0 ? "" : name.substring(0, lastDot + 1);
    if (packages.contains(packagePrefix)) {
      return true;
    }
    for (String tree : trees) {
      if (name.startsWith(tree)) {
        return true;
      }
    }
    return false;
  }

}
