package dev.hint4j.internal.decode;

import dev.hint4j.GenerationConfig;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Decoding loops over a backend's {@link DecodeState}: greedy and sampling for a whole batch
 * (rows finish independently), beam search for one input, and target scoring.
 */
public final class Decoding {
  private Decoding() {}

  /** Called with each newly chosen token of a row (not for EOS or stop tokens). */
  @FunctionalInterface
  public interface StepListener {
    void onToken(int row, long tokenId);
  }

  /**
   * Greedy or sampled continuation of every row, starting from {@code startId}. Returns the
   * generated ids per row without the final EOS or stop token.
   */
  public static List<long[]> generate(DecodeState state, GenerationConfig cfg, long startId, long eosId,
      StepListener listener) {
    int batch = state.batchSize();
    int vocab = state.vocabSize();
    IntPredicate ends = id -> id == eosId || cfg.stopTokens().contains((long) id);
    Sampler[] samplers = new Sampler[batch];
    if (cfg.strategy() == GenerationConfig.Strategy.SAMPLING) {
      for (int b = 0; b < batch; b++) {
        samplers[b] = new Sampler(cfg.temperature(), cfg.topK(), cfg.topP(), cfg.seed()); // per row: position-independent
      }
    }
    List<List<Long>> out = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      out.add(new ArrayList<>());
    }
    boolean[] done = new boolean[batch];
    long[][] next = new long[batch][1];
    for (long[] row : next) {
      row[0] = startId;
    }
    for (int step = 0; step < cfg.maxNewTokens(); step++) {
      float[] logits = state.step(next);
      if (step < cfg.minNewTokens()) {
        suppressEnds(logits, batch, vocab, eosId, cfg);
      }
      boolean allDone = true;
      for (int b = 0; b < batch; b++) {
        if (done[b]) {
          next[b][0] = startId; // finished rows keep stepping (the batch moves together); output ignored
          continue;
        }
        int token = samplers[b] == null ? LogProbs.argmax(logits, b * vocab, vocab)
            : samplers[b].sample(logits, b * vocab, vocab);
        next[b][0] = token;
        if (ends.test(token)) {
          done[b] = true;
        } else {
          out.get(b).add((long) token);
          if (listener != null) {
            listener.onToken(b, token);
          }
          allDone = false;
        }
      }
      if (allDone) {
        break;
      }
    }
    List<long[]> result = new ArrayList<>();
    for (List<Long> row : out) {
      result.add(row.stream().mapToLong(Long::longValue).toArray());
    }
    return result;
  }

  private static void suppressEnds(float[] logits, int batch, int vocab, long eosId, GenerationConfig cfg) {
    for (int b = 0; b < batch; b++) {
      logits[b * vocab + (int) eosId] = Float.NEGATIVE_INFINITY;
      for (long stop : cfg.stopTokens()) {
        if (stop >= 0 && stop < vocab) {
          logits[b * vocab + (int) stop] = Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /**
   * Sum of log-probabilities of {@code target} (which should end with EOS) given the encoded
   * input: one teacher-forced decoder call over [start, target[0..n-2]].
   */
  public static double logLikelihood(DecodeState state, long[] target, long startId) {
    if (state.batchSize() != 1) {
      throw new IllegalArgumentException("scoring runs one input at a time");
    }
    int vocab = state.vocabSize();
    long[] in = new long[target.length];
    in[0] = startId;
    System.arraycopy(target, 0, in, 1, target.length - 1);
    float[] logits = state.step(new long[][] {in});
    double sum = 0;
    for (int t = 0; t < target.length; t++) {
      sum += LogProbs.of(logits, t * vocab, vocab, 1.0)[(int) target[t]];
    }
    return sum;
  }

  /** Beam search over one input whose state holds {@code cfg.numBeams()} identical rows. */
  public static long[] beamSearch(DecodeState state, GenerationConfig cfg, long startId, long eosId) {
    return new BeamSearch(state, cfg, startId, eosId).run();
  }

  static long[] toArray(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  static long[] append(long[] a, long v) {
    long[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }
}
