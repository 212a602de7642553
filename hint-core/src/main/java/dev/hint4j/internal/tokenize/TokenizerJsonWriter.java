package dev.hint4j.internal.tokenize;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hint4j.internal.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a HuggingFace {@code tokenizer.json} for the models hint4j creates: T5 conventions
 * (0 {@code <pad>} = decoder start, 1 {@code </s>} appended to every sequence, 2 {@code <unk>}), a
 * Unigram model over Metaspace words, and no normalizer (case is kept: tasks change case).
 *
 * <p>Vocabulary: the specials, the bare word-start marker, every printable ASCII character both
 * word-initial ({@code ▁c}) and inside a word ({@code c}), then whole words ({@code ▁word}). Whole
 * words score far above spelling them out, so listed words are one token and anything else
 * falls back to characters: instructions read as words, task inputs stay visible letter by letter.
 * Decoding gives back the text exactly, except one leading space, which Metaspace drops (as T5 does).
 */
public final class TokenizerJsonWriter {
  public static final String PAD = "<pad>";
  public static final String EOS = "</s>";
  public static final String UNK = "<unk>";
  static final String SPACE = "\u2581";

  private static final double CHAR_SCORE = -10.0;
  private static final double WORD_SCORE = -1.0;

  private final List<String> pieces;
  private final int firstWord;

  private TokenizerJsonWriter(List<String> pieces, int firstWord) {
    this.pieces = pieces;
    this.firstWord = firstWord;
  }

  public static TokenizerJsonWriter withWords(Collection<String> words) {
    Set<String> p = new LinkedHashSet<>(List.of(PAD, EOS, UNK, SPACE));
    for (char c = 33; c < 127; c++) {
      p.add(SPACE + c);
      p.add(String.valueOf(c));
    }
    int firstWord = p.size();
    for (String w : words) {
      if (w.isEmpty() || !w.chars().allMatch(ch -> ch > 32 && ch < 127)) {
        throw new IllegalArgumentException("word '" + w + "' must be non-empty printable ASCII without spaces");
      }
      p.add(SPACE + w);
    }
    return new TokenizerJsonWriter(List.copyOf(p), firstWord);
  }

  public int vocabSize() {
    return pieces.size();
  }

  /** Pieces in id order. */
  public List<String> pieces() {
    return pieces;
  }

  public String toJson() {
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", null);
    root.add("padding", null);
    root.add("added_tokens", specials());
    root.add("normalizer", null);
    root.add("pre_tokenizer", metaspace());
    root.add("post_processor", appendEos());
    root.add("decoder", metaspace());
    JsonObject model = new JsonObject();
    model.addProperty("type", "Unigram");
    model.addProperty("unk_id", 2);
    JsonArray vocab = new JsonArray();
    for (int id = 0; id < pieces.size(); id++) {
      JsonArray entry = new JsonArray();
      entry.add(pieces.get(id));
      // Earlier words score slightly higher so ties between segmentations resolve the same way everywhere.
      entry.add(id < 3 ? 0.0 : id < firstWord ? CHAR_SCORE : WORD_SCORE - 1e-4 * (id - firstWord) / pieces.size());
      vocab.add(entry);
    }
    model.add("vocab", vocab);
    model.addProperty("byte_fallback", false);
    root.add("model", model);
    Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    return gson.toJson(root);
  }

  /** Writes atomically (temp file, fsync, rename). */
  public void write(Path file) {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject metaspace() {
    JsonObject m = new JsonObject();
    m.addProperty("type", "Metaspace");
    m.addProperty("replacement", SPACE);
    m.addProperty("prepend_scheme", "always");
    m.addProperty("split", true);
    return m;
  }

  /** The three special tokens at ids 0–2, as both writers declare them. */
  static JsonArray specials() {
    List<String> names = List.of(PAD, EOS, UNK);
    JsonArray added = new JsonArray();
    for (int id = 0; id < 3; id++) {
      JsonObject t = new JsonObject();
      t.addProperty("id", id);
      t.addProperty("content", names.get(id));
      t.addProperty("single_word", false);
      t.addProperty("lstrip", false);
      t.addProperty("rstrip", false);
      t.addProperty("normalized", false);
      t.addProperty("special", true);
      added.add(t);
    }
    return added;
  }

  /** The post-processor both writers use: EOS after every sequence. */
  static JsonObject appendEos() {
    JsonObject p = new JsonObject();
    p.addProperty("type", "TemplateProcessing");
    p.add("single", template(false));
    p.add("pair", template(true));
    JsonObject eos = new JsonObject();
    eos.addProperty("id", EOS);
    JsonArray ids = new JsonArray();
    ids.add(1);
    eos.add("ids", ids);
    JsonArray tokens = new JsonArray();
    tokens.add(EOS);
    eos.add("tokens", tokens);
    JsonObject special = new JsonObject();
    special.add(EOS, eos);
    p.add("special_tokens", special);
    return p;
  }

  private static JsonArray template(boolean pair) {
    JsonArray a = new JsonArray();
    a.add(sequence("A"));
    a.add(specialToken());
    if (pair) {
      a.add(sequence("B"));
      a.add(specialToken());
    }
    return a;
  }

  private static JsonObject sequence(String id) {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", id);
    inner.addProperty("type_id", 0);
    JsonObject o = new JsonObject();
    o.add("Sequence", inner);
    return o;
  }

  private static JsonObject specialToken() {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", EOS);
    inner.addProperty("type_id", 0);
    JsonObject o = new JsonObject();
    o.add("SpecialToken", inner);
    return o;
  }

  /**
   * Common English words and the vocabulary of task instructions (a few hundred, each one token).
   * Task inputs are usually not listed words, so models see their letters.
   */
  public static List<String> defaultWords() {
    return DEFAULT_WORDS;
  }

  private static final List<String> DEFAULT_WORDS = Collections.unmodifiableList(new ArrayList<>(new LinkedHashSet<>(List.of((
      "the a an of to in and or for with on at by from as is are be was were it its this that these those"
      + " each every all any some no not only first last next previous before after between into out over"
      + " under up down left right same other another both either neither more most less least than then"
      + " if else when while where which who what how do does did done make makes made give gives given"
      + " write writes written return returns output outputs input inputs answer answers print prints"
      + " word words letter letters character characters char chars string strings text sentence sentences"
      + " number numbers digit digits vowel vowels consonant consonants space spaces symbol symbols"
      + " reverse reversed reversing sort sorted sorting order ordered alphabetical alphabetically"
      + " ascending descending uppercase lowercase upper lower case capital capitalize capitalized title"
      + " replace replaced replacing substitute substitution swap swapped delete deleted remove removed"
      + " removing drop keep kept insert inserted add added append appended prepend prepended repeat"
      + " repeated repeating double doubled duplicate duplicates count counts counting length long short"
      + " longest shortest sum total plus minus times multiply divide even odd position positions index"
      + " start starts end ends begin begins beginning ending middle half rest remaining whole part"
      + " extract extracted select selected choose find found take taken copy copied follow following"
      + " rule rules task tasks example examples instruction instructions apply applied applying same"
      + " mapping map maps mapped change changes changed transform transformed convert converted"
      + " into one two three four five six seven eight nine ten zero once twice"
      + " occurrence occurrences appear appears appearing contain contains containing unchanged"
      + " separate separated separator comma commas dash hyphen underscore dot star stars asterisk"
      + " hash plus sign brackets parentheses quote quotes pair pairs group groups list lists item items"
      + " element elements sequence sequences pattern patterns shift shifted rotate rotated cycle"
      + " alphabet next-letter previous-letter like such so exactly just also but note must should"
      + " can may will would need needs please here there above below shown see seen get gets"
      + " your you we they he she them his her our their my me us new old good best way ways"
      + " yes true false correct incorrect valid invalid label labels class category categories"
      + " positive negative neutral question questions context response responses result results"
      + " definition definitions describe description explain read reads reading using use used"
      + " without within per whether because since until again already still very much many few"
      + " little large small big same different similar identical match matches matching").split(" ")))));
}
