package dev.hint4j.internal.tokenize;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.hint4j.internal.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a HuggingFace {@code tokenizer.json} that reads characters as characters and listed words
 * as words: T5 specials (0 {@code <pad>}, 1 {@code </s>} appended to every sequence, 2
 * {@code <unk>}), then every printable ASCII character plus tab and newline, then the listed word
 * pieces, bare ({@code word}) or with their leading space ({@code " word"}).
 *
 * <p>A Split pre-tokenizer cuts the text into pieces that are either a whole listed word (bounded
 * by non-word characters, optionally with one leading space) or a single character; a WordLevel
 * model maps each piece to its id. So a letter has one id wherever it stands (unlike Metaspace
 * vocabularies, where {@code ▁a} and {@code a} differ), a word that is not listed is spelled out,
 * a listed word inside a longer word ({@code the} in {@code other}) is spelled out too, and only
 * characters outside printable ASCII map to {@code <unk>}. The Fuse decoder concatenates pieces,
 * so decoding gives back the text exactly (spaces included).
 */
public final class CharWordTokenizerJson {
  private final List<String> pieces;
  private final List<String> words;

  private CharWordTokenizerJson(List<String> pieces, List<String> words) {
    this.pieces = pieces;
    this.words = words;
  }

  /** Each word whole, in both forms: bare and with its leading space. */
  public static CharWordTokenizerJson withWords(Collection<String> words) {
    List<String> pieces = new ArrayList<>();
    for (String w : words) {
      pieces.add(w);
      pieces.add(" " + w);
    }
    return withPieces(pieces);
  }

  /**
   * @param wordPieces whole-word tokens: ASCII letters, optionally after one space (" word"); a
   *     form not listed is spelled out (a space, then its letters)
   */
  public static CharWordTokenizerJson withPieces(Collection<String> wordPieces) {
    Set<String> p = new LinkedHashSet<>(List.of(TokenizerJsonWriter.PAD, TokenizerJsonWriter.EOS, TokenizerJsonWriter.UNK, "\t", "\n"));
    for (char c = 32; c < 127; c++) {
      p.add(String.valueOf(c));
    }
    List<String> listed = new ArrayList<>();
    for (String w : new LinkedHashSet<>(wordPieces)) {
      if (!w.matches(" ?[A-Za-z]+")) {
        throw new IllegalArgumentException("word piece '" + w + "' must be ASCII letters, optionally after one space"
            + " (it is matched between word boundaries)");
      }
      if (w.strip().length() > 1) { // one letter is already a token: listing it would give it a second id
        p.add(w);
        listed.add(w);
      }
    }
    return new CharWordTokenizerJson(List.copyOf(p), List.copyOf(listed));
  }

  public int vocabSize() {
    return pieces.size();
  }

  /** Pieces in id order. */
  public List<String> pieces() {
    return pieces;
  }

  /** The whole-word pieces, bare or with their leading space. */
  public List<String> words() {
    return words;
  }

  public String toJson() {
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", null);
    root.add("padding", null);
    root.add("added_tokens", TokenizerJsonWriter.specials());
    root.add("normalizer", null);
    root.add("pre_tokenizer", split());
    root.add("post_processor", TokenizerJsonWriter.appendEos());
    JsonObject decoder = new JsonObject();
    decoder.addProperty("type", "Fuse");
    root.add("decoder", decoder);
    JsonObject model = new JsonObject();
    model.addProperty("type", "WordLevel");
    JsonObject vocab = new JsonObject();
    for (int id = 0; id < pieces.size(); id++) {
      vocab.addProperty(pieces.get(id), id);
    }
    model.add("vocab", vocab);
    model.addProperty("unk_token", TokenizerJsonWriter.UNK);
    root.add("model", model);
    return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(root);
  }

  /** Writes atomically (temp file, fsync, rename). */
  public void write(Path file) {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  private JsonObject split() {
    // A listed spaced form takes its space along; otherwise the space is its own piece and the word
    // may still match bare. Longest first, so an alternation never stops at a listed prefix.
    String spaced = alternation(words.stream().filter(w -> w.startsWith(" ")).map(String::strip).toList());
    String bare = alternation(words.stream().filter(w -> !w.startsWith(" ")).toList());
    StringBuilder regex = new StringBuilder();
    if (!spaced.isEmpty()) {
      regex.append(" \\b(?:").append(spaced).append(")\\b|");
    }
    if (!bare.isEmpty()) {
      regex.append("\\b(?:").append(bare).append(")\\b|");
    }
    regex.append("[\\s\\S]");
    JsonObject pattern = new JsonObject();
    pattern.addProperty("Regex", regex.toString());
    JsonObject s = new JsonObject();
    s.addProperty("type", "Split");
    s.add("pattern", pattern);
    s.addProperty("behavior", "Isolated");
    s.addProperty("invert", false);
    return s;
  }

  private static String alternation(List<String> words) {
    return words.stream().sorted(Comparator.comparingInt(String::length).reversed().thenComparing(w -> w))
        .collect(Collectors.joining("|"));
  }
}
