package io.tiercache.serialization;

import java.util.List;
import java.util.Set;

/**
 * Classes that published deserialization attacks are built from: classes that load code, start processes,
 * look up JNDI names, call methods by reflection or evaluate scripts while an object graph is being read.
 * No allowlist entry can admit them, not even one naming the class itself: a store someone else could write
 * to must never reach them. The list is of names only; classes are never loaded to decide.
 */
final class GadgetDenylist {

  /** Single classes. */
  private static final Set<String> CLASSES = Set.of(
      "java.lang.Runtime", "java.lang.ProcessBuilder", "java.lang.Thread", "java.lang.ClassLoader",
      "java.lang.reflect.Proxy", "java.lang.reflect.Method", "java.lang.reflect.Constructor",
      "java.lang.invoke.MethodHandle", "java.net.URLClassLoader", "java.net.URL",
      "java.security.SecureClassLoader", "java.beans.EventHandler", "java.beans.Expression",
      "java.beans.Statement", "java.util.ServiceLoader", "java.util.logging.FileHandler",
      "javax.script.ScriptEngineManager", "javax.swing.UIDefaults", "javax.swing.UIDefaults$ProxyLazyValue",
      "javax.management.BadAttributeValueExpException", "javax.management.ObjectName",
      "com.sun.rowset.JdbcRowSetImpl", "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
      "com.sun.org.apache.xalan.internal.xsltc.trax.TrAXFilter", "sun.rmi.server.UnicastRef",
      "org.apache.commons.beanutils.BeanComparator", "org.apache.commons.collections.map.LazyMap",
      "org.apache.commons.collections4.map.LazyMap", "org.apache.commons.collections.keyvalue.TiedMapEntry",
      "org.apache.commons.collections4.keyvalue.TiedMapEntry", "org.springframework.beans.factory.ObjectFactory",
      "org.springframework.aop.framework.JdkDynamicAopProxy", "org.hibernate.property.access.spi.GetterMethodImpl",
      "com.zaxxer.hikari.HikariConfig", "com.zaxxer.hikari.HikariDataSource",
      "org.apache.tomcat.dbcp.dbcp2.BasicDataSource", "org.apache.commons.dbcp2.BasicDataSource",
      "ch.qos.logback.core.db.DriverManagerConnectionSource", "ch.qos.logback.core.db.JNDIConnectionSource");

  /** Packages whose every class is refused (the prefix includes the final dot). */
  private static final List<String> PACKAGES = List.of(
      "java.rmi.", "sun.rmi.", "javax.naming.", "com.sun.jndi.", "javax.management.", "java.lang.invoke.",
      "jdk.internal.", "sun.misc.", "sun.reflect.", "com.sun.org.apache.", "org.apache.xalan.",
      "org.apache.commons.collections.functors.", "org.apache.commons.collections4.functors.",
      "org.codehaus.groovy.runtime.", "groovy.lang.", "bsh.", "clojure.", "org.mozilla.javascript.",
      "org.python.", "com.mchange.v2.c3p0.", "org.apache.wicket.util.upload.", "net.sf.json.",
      "org.apache.commons.fileupload.", "org.jboss.interceptor.", "org.apache.myfaces.", "com.sun.syndication.",
      "org.springframework.transaction.jta.", "org.springframework.jndi.");

  private GadgetDenylist() { }

  /** Returns true when {@code className} (a class name, never an array) is a known gadget. */
  static boolean denies(String className) {
    if (CLASSES.contains(className) || className.endsWith("ClassLoader")) {
      return true;
    }
    for (String prefix : PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Returns true when an allowlist package or tree (given as its prefix, ending in a dot) lies inside a denied one. */
  static boolean deniesPackage(String prefix) {
    for (String denied : PACKAGES) {
      if (prefix.startsWith(denied)) {
        return true;
      }
    }
    return false;
  }
}
