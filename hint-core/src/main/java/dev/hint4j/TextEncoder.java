package dev.hint4j;

import dev.hint4j.internal.tokenize.HintTokenizer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text to the token ids a graph reads, under a model's policies: characters outside the
 * vocabulary ({@link UnknownTokenPolicy}) and text over a length limit ({@link LengthPolicy}).
 * Thread-safe.
 */
final class TextEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);

  private final HintTokenizer tokenizer;
  private final long eosId;
  private final long unkId;
  private final LengthPolicy lengthPolicy;
  private final UnknownTokenPolicy unknownPolicy;
  private final AtomicLong unknownCharacters = new AtomicLong();
  private final AtomicBoolean warnedUnknown = new AtomicBoolean();

  TextEncoder(HintTokenizer tokenizer, long eosId, long unkId, LengthPolicy lengthPolicy, UnknownTokenPolicy unknownPolicy) {
    this.tokenizer = tokenizer;
    this.eosId = eosId;
    this.unkId = unkId;
    this.lengthPolicy = lengthPolicy;
    this.unknownPolicy = unknownPolicy;
  }

  /**
   * Ids of {@code text} ending with EOS, at most {@code limit} of them.
   *
   * @param what the text's name in messages ("input", "instruction and examples", ...)
   */
  long[] encode(String text, int limit, String what) {
    HintTokenizer.Tokens t = tokenizer.tokenize(text, unkId);
    if (t.unknownTokens() > 0) {
      if (unknownPolicy == UnknownTokenPolicy.REJECT) {
        throw new InvalidInputException(what + " has " + t.unknownCharacters() + " character(s) outside this model's"
            + " vocabulary" + describeFirstUnknown(text, t.firstUnknown()) + "; remove or replace them, or build the model"
            + " with unknownTokenPolicy(UnknownTokenPolicy.REPLACE) to map them to <unk>");
      }
      unknownCharacters.addAndGet(t.unknownCharacters());
      if (warnedUnknown.compareAndSet(false, true)) {
        LOG.warn("{} has {} character(s) outside the model's vocabulary, mapped to {} <unk> token(s); further ones are"
            + " counted in HintModel.unknownCharacters() (unknownTokenPolicy(REJECT) refuses them)",
            what, t.unknownCharacters(), t.unknownTokens());
      } else {
        LOG.debug("{}: {} character(s) mapped to {} <unk>", what, t.unknownCharacters(), t.unknownTokens());
      }
    }
    long[] ids = t.ids();
    if (ids.length <= limit) {
      return ids;
    }
    if (lengthPolicy == LengthPolicy.REJECT) {
      throw new InvalidInputException(what + " is " + ids.length + " tokens, over this model's limit of " + limit
          + "; shorten it, or build the model with lengthPolicy(LengthPolicy.TRUNCATE)");
    }
    LOG.warn("{} is {} tokens; truncated to the model's limit of {}", what, ids.length, limit);
    long[] cut = Arrays.copyOf(ids, limit);
    cut[limit - 1] = eosId;
    return cut;
  }

  /** Characters mapped to the unknown token since this encoder was made. */
  long unknownCharacters() {
    return unknownCharacters.get();
  }

  private static String describeFirstUnknown(String text, int index) {
    if (index < 0 || index >= text.length()) {
      return "";
    }
    return String.format(" (the first is U+%04X at index %d)", text.codePointAt(index), index);
  }
}
