package dev.hint4j.internal.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.hint4j.Example;
import dev.hint4j.InvalidInputException;
import dev.hint4j.ModelLoadException;
import dev.hint4j.PromptFormat;
import dev.hint4j.internal.Lifecycle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's tokenizer: DJL HuggingFace tokenizers over the model's {@code tokenizer.json}.
 * {@link #encode} appends EOS and never pads.
 *
 * <p>Offline by design. Before DJL's first use hint4j sets, unless the user already set them as an
 * environment variable or system property: {@code OPT_OUT_TRACKING=true} (DJL otherwise calls
 * home on every tokenizer load) and {@code RUST_FLAVOR=cpu} (DJL otherwise tries to download a
 * CUDA build of its native library on GPU machines). Also useful: {@code DJL_OFFLINE=true} (no
 * downloads at all) and {@code ENGINE_CACHE_DIR} (where the bundled native library is unpacked).
 *
 * <p>Thread-safe: encoding only reads the native tokenizer. {@link #close()} is idempotent and
 * waits for calls in flight; later calls throw {@link IllegalStateException}.
 */
public final class HintTokenizer implements dev.hint4j.Tokenizer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HintTokenizer.class);

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final int vocabSize;
  private final Lifecycle lifecycle = new Lifecycle("tokenizer");

  private HintTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, int vocabSize) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.vocabSize = vocabSize;
  }

  public static HintTokenizer load(Path tokenizerJson, int maxLength) {
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      return load(in, maxLength);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code tokenizer.json} from a stream (a classpath model); the caller closes the stream. */
  public static HintTokenizer load(InputStream tokenizerJson, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2 (one token plus EOS), got " + maxLength);
    }
    OfflineSettings.apply();
    byte[] json;
    try {
      json = tokenizerJson.readAllBytes();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer.json: " + e.getMessage(), e);
    }
    int vocab = VocabSize.of(json);
    Map<String, String> options = Map.of(
        "addSpecialTokens", "true",
        "padding", "false",
        "truncation", "false",
        "maxLength", Integer.toString(maxLength));
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(new java.io.ByteArrayInputStream(json), options);
      return new HintTokenizer(t, maxLength, vocab);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("DJL could not load tokenizer.json: " + e.getMessage()
          + " (if it failed to load its native library, check ENGINE_CACHE_DIR is writable)", e);
    }
  }

  /** Token ids of {@code text} followed by EOS; rejects text longer than {@code maxLength} tokens. */
  public long[] encode(String text) {
    long[] ids = rawEncode(text);
    if (ids.length > maxLength) {
      throw new InvalidInputException("text is " + ids.length + " tokens, over the tokenizer's limit of " + maxLength
          + "; shorten it or use encodeTruncating");
    }
    return ids;
  }

  /** Like {@link #encode} but keeps the first tokens (and a final EOS) when too long, logging a warning. */
  public long[] encodeTruncating(String text) {
    long[] ids = rawEncode(text);
    if (ids.length <= maxLength) {
      return ids;
    }
    LOG.warn("text of {} tokens truncated to {}", ids.length, maxLength);
    long[] cut = Arrays.copyOf(ids, maxLength);
    cut[maxLength - 1] = ids[ids.length - 1]; // the EOS the post-processor appended
    return cut;
  }

  /**
   * Token ids of {@code text} followed by EOS, with no length limit (the caller applies its own),
   * and what became the unknown token {@code unkId}: characters outside the vocabulary are mapped
   * to it, and a run of them fuses into one token, so the count of characters matters as much.
   */
  public Tokens tokenize(String text, long unkId) {
    if (text == null) {
      throw new InvalidInputException("text must not be null");
    }
    return read(() -> {
      Encoding e = tokenizer.encode(text, true, false);
      long[] ids = e.getIds();
      int unknownTokens = 0;
      int unknownChars = 0;
      int firstUnknown = -1;
      ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = null;
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == unkId) {
          if (spans == null) {
            spans = e.getCharTokenSpans();
          }
          unknownTokens++;
          // A span is null for special tokens; count at least the one character it stands for.
          unknownChars += spans[i] == null ? 1 : Math.max(1, spans[i].getEnd() - spans[i].getStart());
          if (firstUnknown < 0 && spans[i] != null) {
            firstUnknown = spans[i].getStart();
          }
        }
      }
      return new Tokens(ids, unknownTokens, unknownChars, firstUnknown);
    });
  }

  /**
   * @param ids token ids, EOS last
   * @param unknownTokens how many of them are the unknown token
   * @param unknownCharacters characters of the text those unknown tokens stand for
   * @param firstUnknown index in the text of the first of them, or -1
   */
  public record Tokens(long[] ids, int unknownTokens, int unknownCharacters, int firstUnknown) {}

  /**
   * How many leading tokens of {@code ids} (the ids of a text that starts with {@code prefix}) are
   * the tokens {@code prefix} alone gives, its EOS left out: the prefix's share of the text. Asking
   * the tokenizer, rather than searching {@code ids} for a separator, works for any vocabulary; a
   * token that straddles the boundary (a word-initial form of the text after the prefix) is not
   * counted, and neither is a final EOS of a truncated text.
   */
  public int sharedLeadingTokens(long[] ids, String prefix) {
    long[] own = rawEncode(prefix); // EOS last
    int n = Math.min(ids.length, own.length - 1);
    int shared = 0;
    while (shared < n && ids[shared] == own[shared]) {
      shared++;
    }
    return shared;
  }

  /**
   * How many leading tokens of {@code ids} (the ids of {@link PromptFormat#concatenated}
   * for this instruction and these examples, whole or truncated) are the baseline's prompt: the one
   * definition the runtime and training share, so the rows a model is trained on and the rows it
   * answers mark the same tokens.
   */
  public int concatenationPromptTokens(long[] ids, String instruction, List<Example> examples) {
    return sharedLeadingTokens(ids, PromptFormat.concatenationPrompt(instruction, examples));
  }

  /** Text of the ids, special tokens left out. */
  public String decode(long[] ids) {
    return read(() -> tokenizer.decode(ids, true));
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int maxLength() {
    return maxLength;
  }

  private long[] rawEncode(String text) {
    if (text == null) {
      throw new InvalidInputException("text must not be null");
    }
    return read(() -> {
      Encoding e = tokenizer.encode(text, true, false);
      return e.getIds();
    });
  }

  private <T> T read(java.util.function.Supplier<T> body) {
    return lifecycle.use(body);
  }

  @Override
  public void close() {
    lifecycle.close(tokenizer::close);
  }
}
