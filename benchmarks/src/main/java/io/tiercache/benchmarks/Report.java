package io.tiercache.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Turns JMH's JSON into a markdown table and a PNG chart. Each row's ratio compares the subject with the raw
 * engine it stands on, measured in the same run: heap subjects with raw Caffeine, MapDB ones with raw MapDB,
 * RocksDB ones (and Ehcache's disk tier) with raw RocksDB, and the composite cache with tiercache's tier that
 * holds the entry (the size strategy puts 100 B and the POJO on the heap, 10 KiB in MapDB, 1 MiB in RocksDB).
 */
public final class Report {

  private Report() { }

  /** One measured configuration. */
  private record Row(String method, String subject, String value, boolean byValue, String keys, int threads,
      double score, double error) {
    String group() {
      return method + " " + value + (byValue ? " by-value" : " by-reference") + " " + keys + " " + threads + "t";
    }
  }

  public static void main(String[] args) throws Exception {
    Path json = Paths.get(args.length > 0 ? args[0] : "results/jmh");
    Path markdown = Paths.get(args.length > 1 ? args[1] : "results/results.md");
    Path chart = Paths.get(args.length > 2 ? args[2] : "results/chart.png");
    // a later file (a re-run) replaces the rows of an earlier one for the same workload and subject
    Map<String, Row> latest = new LinkedHashMap<>();
    for (Row row : read(json)) {
      latest.put(row.group() + "|" + row.subject(), row);
    }
    List<Row> rows = new ArrayList<>(latest.values());
    Map<String, List<Row>> groups = new TreeMap<>();
    for (Row row : rows) {
      groups.computeIfAbsent(row.group(), g -> new ArrayList<>()).add(row);
    }
    StringBuilder out = new StringBuilder();
    out.append("| workload | subject | ops/s | ± | ratio to its engine | ratio to its peer |\n"
        + "|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Row>> group : groups.entrySet()) {
      Map<String, Double> scores = new LinkedHashMap<>();
      group.getValue().forEach(row -> scores.put(row.subject(), row.score()));
      for (Row row : group.getValue()) {
        String baseline = baseline(row.subject(), row.value());
        Double base = scores.get(baseline);
        if (row.subject().equals("tiercache-composite")) {
          // a composite cache always stores by value; its tier alone must be measured alike
          base = byValueScore(rows, row, baseline);
        }
        String ratio = base == null || baseline.equals(row.subject()) ? "-"
            : String.format(Locale.ROOT, "%.2f× %s", row.score() / base, baseline);
        String peerName = peer(row.subject());
        Double peer = peerName == null ? null : scores.get(peerName);
        String peerRatio = peer == null ? "-"
            : String.format(Locale.ROOT, "%.2f× %s", row.score() / peer, peerName);
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", group.getKey(), row.subject(),
            human(row.score()), human(row.error()), ratio, peerRatio));
      }
    }
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    Files.writeString(markdown, out.toString(), StandardCharsets.UTF_8);
    chart(rows, chart);
    System.out.print(out);
  }

  private static Double byValueScore(List<Row> rows, Row like, String subject) {
    for (Row row : rows) {
      if (row.subject().equals(subject) && row.method().equals(like.method()) && row.value().equals(like.value())
          && row.keys().equals(like.keys()) && row.threads() == like.threads()
          && (row.byValue() || !subject.equals("tiercache-heap"))) {
        return row.score();
      }
    }
    return null;
  }

  /**
   * The subject a row is also compared with: the heap with Caffeine's adapter, MapDB with its unlogged self,
   * the near cache with the heap tier.
   */
  static String peer(String subject) {
    switch (subject) {
      case "tiercache-heap":
        return "caffeine-jcache";
      case "tiercache-mapdb":
        return "tiercache-mapdb-lost-on-crash"; // the ratio is what crash safety costs
      case "tiercache-heap-redis":
        return "tiercache-heap"; // near-cache hits against the heap tier
      default:
        return null;
    }
  }

  static String baseline(String subject, String value) {
    switch (subject) {
      case "tiercache-mapdb":
      case "tiercache-mapdb-lost-on-crash":
        return "mapdb-raw";
      case "tiercache-rocksdb":
      case "ehcache-disk":
        return "rocksdb-raw";
      case "tiercache-redis":
      case "tiercache-heap-redis":
        return "lettuce-raw";
      case "tiercache-mapdb-encrypted": // the same tier unencrypted: what encryption costs
        return "tiercache-mapdb";
      case "tiercache-rocksdb-encrypted":
        return "tiercache-rocksdb";
      case "tiercache-composite":
        return value.equals("10KiB") ? "tiercache-mapdb" : value.equals("1MiB") ? "tiercache-rocksdb"
            : "tiercache-heap";
      default:
        return "caffeine-raw";
    }
  }

  /** Reads one JMH JSON file, or every {@code .json} file of a directory. */
  private static List<Row> read(Path json) throws Exception {
    if (Files.isDirectory(json)) {
      List<Row> rows = new ArrayList<>();
      try (var files = Files.list(json)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          rows.addAll(read(file));
        }
      }
      return rows;
    }
    List<Row> rows = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(json)) {
      JsonElement parsed = JsonParser.parseReader(reader);
      if (!parsed.isJsonArray()) {
        return rows; // a part still being written, or left empty by a failed run
      }
      JsonArray results = parsed.getAsJsonArray();
      for (JsonElement element : results) {
        JsonObject result = element.getAsJsonObject();
        String benchmark = result.get("benchmark").getAsString();
        JsonObject params = result.getAsJsonObject("params");
        JsonObject metric = result.getAsJsonObject("primaryMetric");
        double error = metric.get("scoreError").isJsonPrimitive() && !metric.get("scoreError").getAsString()
            .equals("NaN") ? metric.get("scoreError").getAsDouble() : 0;
        rows.add(new Row(benchmark.substring(benchmark.lastIndexOf('.') + 1), params.get("subject").getAsString(),
            params.get("value").getAsString(), params.get("storeByValue").getAsBoolean(),
            params.get("keys").getAsString(), result.get("threads").getAsInt(), metric.get("score").getAsDouble(),
            error));
      }
    }
    return rows;
  }

  /** One bar group per workload of one thread, uniform keys, by reference; bars per subject, log scale. */
  private static void chart(List<Row> rows, Path file) throws Exception {
    Map<String, Map<String, Double>> bySubject = new TreeMap<>();
    List<String> workloads = new ArrayList<>();
    for (Row row : rows) {
      if (row.threads() != 1 || !row.keys().equals("uniform") || row.byValue()) {
        continue;
      }
      String workload = row.method() + " " + row.value();
      if (!workloads.contains(workload)) {
        workloads.add(workload);
      }
      bySubject.computeIfAbsent(row.subject(), s -> new LinkedHashMap<>()).put(workload, row.score());
    }
    if (workloads.isEmpty()) {
      return;
    }
    CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
        .title("log10(ops/s), 1 thread, uniform keys, store-by-reference").xAxisTitle("workload")
        .yAxisTitle("log10(ops/s)").build();
    chart.getStyler().setXAxisLabelRotation(20);
    for (Map.Entry<String, Map<String, Double>> subject : bySubject.entrySet()) {
      List<Double> scores = new ArrayList<>();
      for (String workload : workloads) {
        // log10 by hand: the spread runs from thousands to hundreds of millions of operations per second
        scores.add(Math.log10(Math.max(1.0, subject.getValue().getOrDefault(workload, 1.0))));
      }
      chart.addSeries(subject.getKey(), workloads, scores);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String human(double value) {
    if (value >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", value / 1e6);
    }
    if (value >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", value / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
