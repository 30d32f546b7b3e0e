package io.tiercache.configuration;

import com.typesafe.config.Config;
import io.tiercache.persistence.StoreNames;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import io.tiercache.tier.redis.RedisAddresses;
import io.tiercache.tier.redis.RedisSettings;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.cache.CacheException;

/**
 * tiercache's configuration as one cache manager sees it: the HOCON file its URI names (if any), over the
 * built-in defaults, under environment overrides. HOCON, through Typesafe Config, because it is the format
 * of the JVM caching world (Caffeine's JCache adapter and Akka use it), it has includes, substitutions and
 * comments, it reports the file and line of every value, and the library has no dependencies.
 *
 * <p>Which file: a URI with scheme {@code file}, {@code jar}, {@code http(s)} is opened as a URL;
 * {@code classpath:name} is a resource of the cache manager's class loader; any other URI (such as the
 * default {@code tiercache:default}) uses the file named by the system property {@value #SYSTEM_PROPERTY},
 * if set, else the built-in defaults alone.
 *
 * <p>Environment overrides: {@code TIERCACHE_<path>=<value>}, where the path is below {@code tiercache},
 * {@code _} stands for {@code .} and {@code __} for {@code -}; for example
 * {@code TIERCACHE_default_rocksdb_sync=true} or {@code TIERCACHE_default_heap_maximum__size=5000}. Values
 * are HOCON, so lists work: {@code TIERCACHE_default_tiers=[heap,rocksdb]}.
 *
 * <p>Precedence, highest first: a {@code TierCacheConfiguration}'s own settings; then the cache's section
 * ({@code tiercache.caches."name"}); then {@code tiercache.default}; then the built-in defaults. Environment
 * overrides replace the value at the path they name, in whichever of those sections that is
 * ({@code TIERCACHE_caches_orders_rocksdb_sync} for one cache, {@code TIERCACHE_default_...} for the rest).
 */
public final class ConfigurationSource {

  /** The system property naming the default configuration file, as a URI. */
  public static final String SYSTEM_PROPERTY = "tiercache.config";

  private static final String ENV_PREFIX = "TIERCACHE_";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigurationSource.class);
  private static final Set<String> ROOT_KEYS = Set.of("directory", "default", "caches");
  private static final Map<String, Set<String>> SECTION_KEYS = Map.of(
      "", Set.of("tiers", "strict", "transient", "strategy", "serializer", "heap", "mapdb", "rocksdb", "redis",
          "encryption"),
      "encryption", Set.of("enabled", "primary", "keys", "keystore-password", "hash-keys", "data-keys"),
      "serializer", Set.of("name", "allowlist"),
      "heap", Set.of("maximum-size"),
      "mapdb", Set.of("mode", "maximum-entries", "maximum-bytes", "transactions"),
      "rocksdb", Set.of("maximum-entries", "maximum-bytes", "sync"),
      "redis", Set.of("uri", "cluster", "user", "password", "namespace", "timeout", "lease", "expiry-grace",
          "when-unreachable", "events"));

  private final Config root;
  // where strategy factories are looked up, as the assembly does; weak, since the manager holding this source is
  // itself held by the provider only as long as its class loader lives
  private final java.lang.ref.WeakReference<ClassLoader> strategyLoader;
  private final String description;

  private ConfigurationSource(Config root, String description, ClassLoader strategyLoader) {
    this.root = root;
    this.strategyLoader = new java.lang.ref.WeakReference<>(strategyLoader);
    this.description = description;
  }

  /**
   * Loads the configuration for a cache manager.
   *
   * @param uri the cache manager's URI
   * @param classLoader the cache manager's class loader, for {@code classpath:} URIs
   * @param environment the process environment (a parameter so tests can pass their own)
   * @throws CacheException if the file cannot be read or parsed, naming it
   * @throws ConfigurationException if a value is invalid, naming file, line, key and allowed values
   */
  public static ConfigurationSource load(URI uri, ClassLoader classLoader, Map<String, String> environment) {
    URI file = configurationFile(uri);
    Config parsed = ConfigFactory.empty();
    String description = "built-in defaults";
    if (file != null) {
      parsed = parse(file, classLoader);
      description = file.toString();
      requireRoot(parsed, description);
    }
    Config reference = parse(URI.create("classpath:tiercache-reference.conf"),
        ConfigurationSource.class.getClassLoader());
    Config merged = environmentOverrides(environment).withFallback(parsed).withFallback(reference);
    try {
      // ${?name} finds the file's own values, then JVM system properties (-Dname=...), then environment
      // variables; system properties are a source for substitutions only, never settings themselves: only the
      // tiercache section is kept, and tiercache's own -Dtiercache.* switches are left out of it
      java.util.Properties properties = new java.util.Properties();
      System.getProperties().forEach((key, value) -> {
        if (!String.valueOf(key).startsWith("tiercache.")) {
          properties.put(key, value);
        }
      });
      Config resolved = merged.withFallback(ConfigFactory.parseProperties(properties)).resolve();
      merged = resolved.getConfig("tiercache").atKey("tiercache");
    } catch (ConfigException e) {
      throw new ConfigurationException(e.getMessage(), e);
    }
    ConfigurationSource source = new ConfigurationSource(merged, description, classLoader);
    source.validate();
    return source;
  }

  private static URI configurationFile(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "file":
      case "jar":
      case "http":
      case "https":
      case "classpath":
        return uri;
      case "":
        // a manager named by a plain path (/etc/app/cache.conf) uses that file, as a file: URI would
        try {
          if (uri.getPath() != null && !uri.getPath().isEmpty() && Files.isRegularFile(Path.of(uri.getPath()))) {
            return Path.of(uri.getPath()).toAbsolutePath().toUri();
          }
        } catch (java.nio.file.InvalidPathException notAPath) {
          // a name, not a file
        }
        return fromSystemProperty();
      default:
        return fromSystemProperty();
    }
  }

  private static URI fromSystemProperty() {
    String property = System.getProperty(SYSTEM_PROPERTY);
    return property == null || property.isBlank() ? null : fileOrUri(property);
  }

  /**
   * Reads a configured location: a URI with a scheme ({@code file:}, {@code classpath:}, {@code https:}...), or
   * else a plain file path, absolute or relative to the working directory.
   */
  static URI fileOrUri(String location) {
    String trimmed = location.trim();
    try {
      URI uri = new URI(trimmed);
      if (uri.getScheme() != null && uri.getScheme().length() > 1) { // one letter: a Windows drive, a path
        return uri;
      }
    } catch (java.net.URISyntaxException notAUri) {
      // spaces, backslashes: a path
    }
    return Path.of(trimmed).toAbsolutePath().toUri();
  }

  private static Config parse(URI uri, ClassLoader classLoader) {
    URL url;
    try {
      if ("classpath".equalsIgnoreCase(uri.getScheme())) {
        String resource = uri.getSchemeSpecificPart().replaceFirst("^/+", "");
        ClassLoader loader = classLoader == null ? ConfigurationSource.class.getClassLoader() : classLoader;
        url = loader.getResource(resource);
        if (url == null) {
          throw new CacheException("tiercache configuration " + uri + " not found: no resource '" + resource
              + "' on the cache manager's class path");
        }
      } else {
        url = uri.toURL();
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CacheException("tiercache configuration " + uri + " is not a readable URL: " + e.getMessage(), e);
    }
    ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
        .setOriginDescription(uri.toString()).setAllowMissing(false);
    try (InputStream in = url.openStream(); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return ConfigFactory.parseReader(reader, options);
    } catch (IOException e) {
      throw new CacheException("Cannot read tiercache configuration " + uri + ": " + e, e);
    } catch (ConfigException e) {
      throw new ConfigurationException("tiercache configuration " + uri + " is not valid HOCON: "
          + e.getMessage(), e);
    }
  }

  static Config environmentOverrides(Map<String, String> environment) {
    Config overrides = ConfigFactory.empty();
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      if (!variable.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String relative = variable.getKey().substring(ENV_PREFIX.length())
          .replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
      String root = relative.contains(".") ? relative.substring(0, relative.indexOf('.')) : relative;
      if (!ROOT_KEYS.contains(root) || relative.endsWith(".") || relative.contains("..")) {
        // TIERCACHE_HOME and the like belong to someone else: ignore them rather than fail every manager
        LOG.warn("Ignoring environment variable {}: it names no tiercache setting (tiercache.{})",
            variable.getKey(), relative);
        continue;
      }
      String path = "tiercache." + relative;
      String origin = "environment variable " + variable.getKey();
      Config value;
      try {
        value = ConfigFactory.parseString(ConfigUtil.quoteString("v") + " = " + variable.getValue(),
            ConfigParseOptions.defaults().setOriginDescription(origin));
      } catch (ConfigException notHocon) {
        value = ConfigFactory.parseMap(Map.of("v", variable.getValue()), origin);
      }
      overrides = overrides.withValue(path, value.getValue("v"));
    }
    return overrides;
  }

  /** Returns where this configuration came from: a URI, or "built-in defaults". */
  public String description() {
    return description;
  }

  /** Returns the directory of the disk tiers of the cache manager with {@code managerUri}. */
  public Path directory(URI managerUri) {
    String configured = root.getString("tiercache.directory");
    if (!configured.isBlank()) {
      // {manager} lets one file serve several cache managers, each in a directory of its own
      return Paths.get(configured.replace("{manager}", StoreNames.encode(managerUri.toString())));
    }
    return Paths.get(System.getProperty("user.home"), ".tiercache", StoreNames.encode(managerUri.toString()));
  }

  /** Returns the names of the caches with a section of their own in the file. */
  public Set<String> declaredCaches() {
    return new LinkedHashSet<>(root.getObject("tiercache.caches").keySet());
  }

  /**
   * Resolves the settings of one cache.
   *
   * @param cacheName the cache
   * @param programmatic settings from a {@link TierCacheConfiguration}, by dotted key; they win over the file
   * @throws ConfigurationException if a value is invalid
   */
  public CacheSettings settingsFor(String cacheName, Map<String, Object> programmatic) {
    Config section = root.getConfig("tiercache.default");
    String cachePath = ConfigUtil.joinPath("tiercache", "caches", cacheName);
    if (root.hasPath(cachePath)) {
      section = root.getConfig(cachePath).withFallback(section);
    }
    if (!programmatic.isEmpty()) {
      Config own;
      try {
        own = ConfigFactory.parseMap(programmatic, "the programmatic configuration of cache '" + cacheName + "'");
      } catch (ConfigException e) {
        throw new ConfigurationException("Invalid programmatic configuration of cache '" + cacheName + "': "
            + e.getMessage(), e);
      }
      validateSection(own, "the programmatic configuration of cache '" + cacheName + "'");
      section = own.withFallback(section);
    }
    return read(section, cacheName);
  }

  /**
   * A file that says {@code caches { ... }} or {@code default { ... }} at its top level, with no
   * {@code tiercache} section, meant those settings for tiercache: read as written, they would be silently
   * ignored and every cache would run on the defaults (the heap alone).
   */
  private static void requireRoot(Config parsed, String description) {
    if (parsed.hasPath("tiercache")) {
      return;
    }
    for (String key : List.of("caches", "default")) {
      if (parsed.hasPath(key)) {
        throw new ConfigurationException(description + ": " + parsed.getValue(key).origin().lineNumber() + ": '"
            + key + "' is at the top level, where tiercache does not read it; put the settings inside"
            + " tiercache { ... }");
      }
    }
  }

  private void validate() {
    ConfigObject tiercache = root.getObject("tiercache");
    for (String key : tiercache.keySet()) {
      if (!ROOT_KEYS.contains(key)) {
        throw invalid(tiercache.get(key).origin(), "tiercache." + key, "is not a tiercache setting; allowed: "
            + String.join(", ", ROOT_KEYS));
      }
    }
    validateSection(root.getConfig("tiercache.default"), "tiercache.default");
    read(root.getConfig("tiercache.default"), "(default)");
    for (String cache : declaredCaches()) {
      Config section = root.getConfig(ConfigUtil.joinPath("tiercache", "caches", cache));
      validateSection(section, "tiercache.caches." + ConfigUtil.quoteString(cache));
      read(section.withFallback(root.getConfig("tiercache.default")), cache);
    }
  }

  private static void validateSection(Config section, String where) {
    for (Map.Entry<String, Set<String>> allowed : SECTION_KEYS.entrySet()) {
      String subsection = allowed.getKey();
      if (!subsection.isEmpty() && !section.hasPath(subsection)) {
        continue;
      }
      if (!subsection.isEmpty() && section.getValue(subsection).valueType() != ConfigValueType.OBJECT) {
        throw invalid(section.getValue(subsection).origin(), where + "." + subsection, "must be an object");
      }
      ConfigObject object = subsection.isEmpty() ? section.root() : section.getObject(subsection);
      for (String key : object.keySet()) {
        if (!allowed.getValue().contains(key)) {
          String path = subsection.isEmpty() ? key : subsection + "." + key;
          throw invalid(object.get(key).origin(), where + "." + path, "is not a setting here; allowed: "
              + String.join(", ", new java.util.TreeSet<>(allowed.getValue())));
        }
      }
    }
  }

  private CacheSettings read(Config section, String cacheName) {
    List<String> tiers = stringList(section, "tiers");
    if (tiers.isEmpty()) {
      throw invalid(section.getValue("tiers").origin(), "tiers", "of cache '" + cacheName
          + "' is empty; list at least one of heap, mapdb, rocksdb, redis");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < tiers.size(); i++) {
      String tier = tiers.get(i);
      if (!List.of("heap", "mapdb", "rocksdb", "redis").contains(tier)) {
        throw invalid(section.getValue("tiers").origin(), "tiers[" + i + "]", "of cache '" + cacheName
            + "' is '" + tier + "'; allowed: heap, mapdb, rocksdb, redis");
      }
      if (!seen.add(tier)) {
        throw invalid(section.getValue("tiers").origin(), "tiers", "of cache '" + cacheName + "' lists '"
            + tier + "' twice");
      }
    }
    Map<String, String> strategyOptions = new LinkedHashMap<>();
    Config strategy = section.getConfig("strategy");
    for (Map.Entry<String, ConfigValue> option : strategy.entrySet()) {
      if (!option.getKey().equals("name")) {
        strategyOptions.put(option.getKey(), String.valueOf(option.getValue().unwrapped()));
      }
    }
    checkStrategy(section, cacheName, strategyOptions);
    List<String> allowlist = stringList(section, "serializer.allowlist");
    for (String pattern : allowlist) {
      try {
        io.tiercache.serialization.ClassAllowlist.validate(pattern);
      } catch (IllegalArgumentException e) {
        throw invalid(section.getValue("serializer.allowlist").origin(), "serializer.allowlist",
            "of cache '" + cacheName + "': " + e.getMessage());
      }
    }
    String serializer = string(section, "serializer.name");
    if (!serializer.equals("kryo")) {
      throw invalid(section.getValue("serializer.name").origin(), "serializer.name", "is '" + serializer
          + "'; allowed: kryo");
    }
    String mode = string(section, "mapdb.mode");
    CacheSettings.MapDbMode mapdbMode;
    try {
      mapdbMode = CacheSettings.MapDbMode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw invalid(section.getValue("mapdb.mode").origin(), "mapdb.mode", "is '" + mode
          + "'; allowed: file, file-lost-on-crash, direct");
    }
    RedisSettings redis = redis(section, cacheName, tiers);
    io.tiercache.encryption.EncryptionSettings encryption = encryption(section, cacheName, tiers);
    return new CacheSettings(tiers, bool(section, "strict"), bool(section, "transient"),
        string(section, "strategy.name"), strategyOptions, serializer, allowlist,
        limit(section, "heap.maximum-size"), mapdbMode, limit(section, "mapdb.maximum-entries"),
        limit(section, "mapdb.maximum-bytes"), bool(section, "mapdb.transactions"),
        limit(section, "rocksdb.maximum-entries"), limit(section, "rocksdb.maximum-bytes"),
        bool(section, "rocksdb.sync"), redis, encryption);
  }

  /** Reads and checks the encryption section: a primary among the keys, and sources of a known kind. */
  private static io.tiercache.encryption.EncryptionSettings encryption(Config section, String cacheName,
      List<String> tiers) {
    if (!bool(section, "encryption.enabled")) {
      return io.tiercache.encryption.EncryptionSettings.DISABLED;
    }
    Map<String, String> keys = new java.util.TreeMap<>();
    ConfigObject listed = section.getObject("encryption.keys");
    for (String id : listed.keySet()) {
      if (listed.get(id).valueType() != ConfigValueType.STRING) {
        throw invalid(listed.get(id).origin(), "encryption.keys." + id, "of cache '" + cacheName + "' must be a"
            + " string: env:NAME, file:/path or pkcs12:/path");
      }
      String source = String.valueOf(listed.get(id).unwrapped()).trim();
      if (source.isEmpty() || !id.matches("[A-Za-z0-9_-]{1,64}")) {
        throw invalid(listed.get(id).origin(), "encryption.keys." + id, "of cache '" + cacheName + "': a key id is"
            + " 1 to 64 letters, digits, '_' or '-', and its source is env:NAME, file:/path or pkcs12:/path");
      }
      keys.put(id, source);
    }
    String primary = string(section, "encryption.primary").trim();
    if (!keys.containsKey(primary)) {
      throw invalid(section.getValue("encryption.primary").origin(), "encryption.primary", "of cache '" + cacheName
          + "' is '" + primary + "'; it must name one of encryption.keys " + keys.keySet());
    }
    return new io.tiercache.encryption.EncryptionSettings(true, primary, keys,
        string(section, "encryption.keystore-password").trim(), bool(section, "encryption.hash-keys"),
        string(section, "encryption.data-keys").trim());
  }

  /**
   * Reads and checks the redis section; where the tiers list redis, also that the layout is one the Redis tier
   * supports and that exactly one of uri and cluster says where the server is.
   */
  private static RedisSettings redis(Config section, String cacheName, List<String> tiers) {
    String when = string(section, "redis.when-unreachable");
    if (!when.equals("fail") && !when.equals("miss")) {
      throw invalid(section.getValue("redis.when-unreachable").origin(), "redis.when-unreachable", "is '" + when
          + "'; allowed: fail, miss");
    }
    String uri = string(section, "redis.uri").trim();
    List<String> cluster = stringList(section, "redis.cluster");
    java.time.Duration timeout = duration(section, "redis.timeout");
    java.time.Duration lease = duration(section, "redis.lease");
    java.time.Duration grace = duration(section, "redis.expiry-grace", true);
    boolean events = bool(section, "redis.events");
    if (!tiers.contains("redis")) {
      return null; // checked all the same, so a typo waits for nobody
    }
    if (!tiers.equals(List.of("redis")) && !tiers.equals(List.of("heap", "redis"))) {
      throw invalid(section.getValue("tiers").origin(), "tiers", "of cache '" + cacheName + "' is " + tiers
          + "; redis is shared by many processes, so it combines only with a heap in front of it as its near"
          + " cache: allowed [redis] or [heap, redis]");
    }
    boolean hasUri = !uri.isEmpty();
    if (hasUri == !cluster.isEmpty()) {
      ConfigOrigin origin = hasUri ? section.getValue("redis.uri").origin() : section.getValue("tiers").origin();
      throw invalid(origin, hasUri ? "redis.uri" : "redis", "of cache '" + cacheName + "': " + (hasUri
          ? "and redis.cluster are both set; set redis.uri for a standalone server or redis.cluster for a cluster"
          : "the tiers list redis but neither redis.uri (a standalone server) nor redis.cluster (seed nodes of a"
          + " cluster) is set"));
    }
    for (String address : hasUri ? List.of(uri) : cluster) {
      String scheme = address.contains("://") ? address.substring(0, address.indexOf("://")) : "";
      if (!scheme.equalsIgnoreCase("redis") && !scheme.equalsIgnoreCase("rediss")) {
        throw invalid(section.getValue(hasUri ? "redis.uri" : "redis.cluster").origin(),
            hasUri ? "redis.uri" : "redis.cluster", "of cache '" + cacheName + "' is '"
            + RedisAddresses.withoutCredentials(address) + "'; it must start with redis:// (or rediss:// for TLS)");
      }
    }
    return new RedisSettings(hasUri ? uri : null, cluster, string(section, "redis.user"),
        string(section, "redis.password"), string(section, "redis.namespace"), timeout, lease, grace,
        when.equals("miss") ? RedisSettings.WhenUnreachable.MISS : RedisSettings.WhenUnreachable.FAIL, events);
  }

  private static java.time.Duration duration(Config section, String path) {
    return duration(section, path, false);
  }

  private static java.time.Duration duration(Config section, String path, boolean zeroAllowed) {
    java.time.Duration value;
    try {
      value = section.getDuration(path);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw invalid(section.getValue(path).origin(), path, "must be a duration such as 2s or 500ms, was "
          + section.getValue(path).render());
    }
    if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
      throw invalid(section.getValue(path).origin(), path, "must be " + (zeroAllowed ? ">= 0" : "> 0")
          + ", was " + section.getValue(path).render());
    }
    return value;
  }

  /**
   * Checks the strategy's name and options when the file loads, for every cache, whether or not it has several
   * tiers yet: a typo must fail at once with the file and line, not later at getCache (or never).
   */
  private void checkStrategy(Config section, String cacheName, Map<String, String> options) {
    String name = string(section, "strategy.name");
    try {
      ClassLoader loader = strategyLoader.get();
      io.tiercache.routing.TypeStrategies.create(name, options,
          loader == null ? ConfigurationSource.class.getClassLoader() : loader);
    } catch (IllegalArgumentException e) {
      boolean unknownName = e.getMessage().startsWith("unknown strategy");
      ConfigOrigin origin = unknownName ? section.getValue("strategy.name").origin()
          : section.getValue("strategy").origin();
      throw invalid(origin, unknownName ? "strategy.name" : "strategy", "of cache '" + cacheName + "': "
          + e.getMessage());
    }
  }

  private static String string(Config section, String path) {
    try {
      return section.getString(path);
    } catch (ConfigException.WrongType e) {
      throw invalid(section.getValue(path).origin(), path, "must be a string, was "
          + section.getValue(path).render());
    }
  }

  private static boolean bool(Config section, String path) {
    try {
      return section.getBoolean(path);
    } catch (ConfigException.WrongType e) {
      throw invalid(section.getValue(path).origin(), path, "must be true or false, was "
          + section.getValue(path).render());
    }
  }

  private static long limit(Config section, String path) {
    long value;
    try {
      value = section.getBytes(path);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      try {
        value = section.getLong(path);
      } catch (ConfigException.WrongType again) {
        throw invalid(section.getValue(path).origin(), path, "must be a number (or a size such as 64MiB)"
            + " >= -1, was " + section.getValue(path).render());
      }
    }
    if (value < -1) {
      throw invalid(section.getValue(path).origin(), path, "must be >= -1 (-1: no bound), was " + value);
    }
    return value;
  }

  private static List<String> stringList(Config section, String path) {
    try {
      return new ArrayList<>(section.getStringList(path));
    } catch (ConfigException.WrongType e) {
      throw invalid(section.getValue(path).origin(), path, "must be a list of strings, was "
          + section.getValue(path).render());
    }
  }

  private static ConfigurationException invalid(ConfigOrigin origin, String key, String problem) {
    return new ConfigurationException(origin.description() + ": " + key + " " + problem);
  }
}
