package io.tiercache.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stats PID}: the per-tier figures of every tiercache cache in a running JVM, read over JMX. */
@Command(name = "stats", description = {"Shows the per-tier figures of every tiercache cache in a running JVM:"
    + " state, entries, bytes, hits, misses, evictions, expirations, dropped records, promotions and demotions"
    + " of each tier.",
    "Reads the io.tiercache:type=CacheHealth beans, over the JVM's local management agent (started on demand"
    + " through the attach API; the JVM must run as the same user) or a JMX service URL."})
final class StatsCommand implements Callable<Integer> {

  @ArgGroup(multiplicity = "1")
  Target target;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Where the JVM is. */
  static final class Target {
    @Parameters(paramLabel = "PID", description = "The process id of a local JVM.")
    Long pid;

    @Option(names = "--jmx", paramLabel = "URL",
        description = "A JMX service URL, such as service:jmx:rmi:///jndi/rmi://host:9010/jmxrmi.")
    String url;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    JMXServiceURL address = new JMXServiceURL(target.url != null ? target.url : LocalAgent.address(target.pid));
    try (JMXConnector connector = JMXConnectorFactory.connect(address)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      Set<ObjectName> names = new TreeSet<>(server.queryNames(new ObjectName("io.tiercache:type=CacheHealth,*"),
          null));
      if (names.isEmpty()) {
        out.println("No tiercache cache is open in that JVM.");
        return TierCacheCli.OK;
      }
      out.printf("%-28s %-20s %-9s %-18s %9s %10s %9s %9s %8s %8s %8s %9s %9s%n", "MANAGER", "CACHE", "STATUS",
          "TIER", "ENTRIES", "BYTES", "HITS", "MISSES", "EVICTED", "EXPIRED", "DROPPED", "PROMOTED", "DEMOTED");
      for (ObjectName name : names) {
        String status = (String) server.getAttribute(name, "Status");
        CompositeData[] tiers = (CompositeData[]) server.getAttribute(name, "TierMetrics");
        for (CompositeData tier : tiers) {
          boolean running = (Boolean) tier.get("running");
          out.printf("%-28s %-20s %-9s %-18s %9d %10s %9d %9d %8d %8d %8d %9d %9d%n",
              name.getKeyProperty("CacheManager"), name.getKeyProperty("Cache"), status,
              tier.get("name") + (running ? "" : " (down)"), (Long) tier.get("entries"),
              Sizes.of((Long) tier.get("bytes")), (Long) tier.get("hits"), (Long) tier.get("misses"),
              (Long) tier.get("evictions"), (Long) tier.get("expirations"), (Long) tier.get("droppedRecords"),
              (Long) tier.get("promotions"), (Long) tier.get("demotions"));
          if (tier.get("problem") != null) {
            out.println("    problem: " + tier.get("problem"));
          }
        }
      }
    }
    return TierCacheCli.OK;
  }
}
