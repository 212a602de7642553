package dev.hint4j.internal.tokenize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.ModelLoadException;
import java.nio.charset.StandardCharsets;

/** Number of ids a tokenizer.json can produce: model vocabulary plus added tokens beyond it. */
final class VocabSize {
  private VocabSize() {}

  static int of(byte[] json) {
    try {
      JsonObject root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
      JsonElement vocab = root.getAsJsonObject("model").get("vocab");
      int n = vocab.isJsonArray() ? vocab.getAsJsonArray().size() : vocab.getAsJsonObject().size();
      JsonElement added = root.get("added_tokens");
      if (added != null && added.isJsonArray()) {
        for (JsonElement t : added.getAsJsonArray()) {
          n = Math.max(n, t.getAsJsonObject().get("id").getAsInt() + 1);
        }
      }
      return n;
    } catch (RuntimeException e) {
      throw new ModelLoadException("tokenizer.json is not a tokenizer this build can read: " + e.getMessage(), e);
    }
  }
}
