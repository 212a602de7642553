package dev.hint4j.examples.suite;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Instructions written by someone who never saw the suite (resource {@code plain-english.json}):
 * a helper given only five numbered input → output examples per rule wrote eight everyday
 * instructions for each, with {x}/{y} for parameters. They test whether a model follows rules
 * worded the way a new user words them. Evaluation only: never trained on.
 */
public final class PlainEnglish {
  private static final Map<String, List<String>> INSTRUCTIONS = load();

  private PlainEnglish() {}

  /** A random instruction of {@code familyId} with the parameter's namings {@code x}, {@code y} filled in (null: no parameter). */
  public static String instruction(String familyId, String x, String y, SplittableRandom r) {
    List<String> options = INSTRUCTIONS.get(familyId);
    if (options == null) {
      throw new IllegalArgumentException("no plain-English instructions for family " + familyId);
    }
    String text = options.get(r.nextInt(options.size()));
    return x == null ? text : text.replace("{x}", x).replace("{y}", y == null ? "" : y);
  }

  private static Map<String, List<String>> load() {
    try (InputStream in = PlainEnglish.class.getResourceAsStream("plain-english.json")) {
      if (in == null) {
        throw new IllegalStateException("plain-english.json is missing from the classpath");
      }
      JsonObject families = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject()
          .getAsJsonObject("families");
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (String family : families.keySet()) {
        List<String> texts = new ArrayList<>();
        families.getAsJsonObject(family).getAsJsonArray("instructions").forEach(e -> texts.add(e.getAsString()));
        out.put(family, List.copyOf(texts));
      }
      return Map.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
