package io.tiercache.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the placement benchmark's table: each subject's throughput, with its error, and the adaptive strategy's
 * ratio to it, measured in one run; then the hit ratios {@link PlacementHitRatios} counted.
 * {@code java -cp benchmarks.jar io.tiercache.benchmarks.PlacementReport <jmh json> <hit ratios md> <out md>}.
 */
public final class PlacementReport {

  private PlacementReport() { }

  public static void main(String[] args) throws Exception {
    Map<String, double[]> scores = new LinkedHashMap<>();
    try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
      for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
        JsonObject result = element.getAsJsonObject();
        JsonObject metric = result.getAsJsonObject("primaryMetric");
        String error = metric.get("scoreError").getAsString();
        scores.put(result.getAsJsonObject("params").get("subject").getAsString(), new double[] {
            metric.get("score").getAsDouble(), error.equals("NaN") ? 0 : Double.parseDouble(error)});
      }
    }
    double adaptive = scores.containsKey("tiercache-adaptive") ? scores.get("tiercache-adaptive")[0] : Double.NaN;
    StringBuilder out = new StringBuilder("| subject | ops/s | ± | adaptive / subject |\n|---|---|---|---|\n");
    scores.forEach((subject, score) -> out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |%n",
        subject, score[0], score[1], adaptive / score[0])));
    out.append('\n').append(Files.readString(Path.of(args[1])));
    Files.writeString(Path.of(args[2]), out.toString());
    System.out.print(out);
  }
}
