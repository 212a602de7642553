package dev.hint4j.internal.decode;

import dev.hint4j.GenerationConfig;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Beam search for one input. The state's rows are the beams; after each step the cache is
 * reordered so row b continues the hypothesis it was extended from.
 *
 * <p>Score of a finished hypothesis: its summed natural-log probability, EOS (or stop token)
 * included, divided by {@code length^lengthPenalty}, where length counts the generated tokens
 * including that final EOS. Penalty 0 ranks by log-probability alone (the objective greedy
 * decoding follows one token at a time, so one beam gives the greedy answer).
 *
 * <p>The answer is the best finished hypothesis; only when none finished within maxNewTokens is
 * it the best live one. The search stops once no live beam can end above the best finished
 * hypothesis. That bound is exact: every later hypothesis extends a live beam, its log-probability
 * can only fall (but may stay arbitrarily close), and its length lies between the next step
 * (or minNewTokens) and maxNewTokens; so stopping early returns what running to maxNewTokens would.
 */
final class BeamSearch {
  private record Candidate(int source, int token, double score) {}

  private final DecodeState state;
  private final GenerationConfig cfg;
  private final long startId;
  private final long eosId;

  BeamSearch(DecodeState state, GenerationConfig cfg, long startId, long eosId) {
    this.state = state;
    this.cfg = cfg;
    this.startId = startId;
    this.eosId = eosId;
  }

  long[] run() {
    int k = state.batchSize();
    int vocab = state.vocabSize();
    double[] scores = new double[k];
    long[][] seqs = new long[k][0];
    for (int b = 1; b < k; b++) {
      scores[b] = Double.NEGATIVE_INFINITY; // all beams start identical: expand only the first
    }
    long[][] next = new long[k][1];
    for (long[] row : next) {
      row[0] = startId;
    }
    long[] bestTokens = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int step = 0; step < cfg.maxNewTokens(); step++) {
      float[] logits = state.step(next);
      boolean mayEnd = step >= cfg.minNewTokens();
      PriorityQueue<Candidate> best = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score));
      for (int b = 0; b < k; b++) {
        if (scores[b] == Double.NEGATIVE_INFINITY) {
          continue;
        }
        double[] logp = LogProbs.of(logits, b * vocab, vocab, 1.0);
        for (int v = 0; v < vocab; v++) {
          if (!mayEnd && ends(v)) {
            continue;
          }
          double s = scores[b] + logp[v];
          // 2k candidates: even if k of them end, k remain to continue.
          if (best.size() < 2 * k) {
            best.add(new Candidate(b, v, s));
          } else if (s > best.peek().score()) {
            best.poll();
            best.add(new Candidate(b, v, s));
          }
        }
      }
      List<Candidate> ranked = new ArrayList<>(best);
      ranked.sort(Comparator.comparingDouble(Candidate::score).reversed());
      int[] sources = new int[k];
      double[] newScores = new double[k];
      long[][] newSeqs = new long[k][];
      int filled = 0;
      for (Candidate c : ranked) {
        if (filled == k) {
          break;
        }
        if (ends(c.token())) {
          double normalized = normalize(c.score(), seqs[c.source()].length + 1);
          if (normalized > bestScore) { // strictly: on a tie the earlier hypothesis stays
            bestScore = normalized;
            bestTokens = seqs[c.source()];
          }
          continue;
        }
        sources[filled] = c.source();
        newScores[filled] = c.score();
        newSeqs[filled] = Decoding.append(seqs[c.source()], c.token());
        next[filled][0] = c.token();
        filled++;
      }
      for (int b = filled; b < k; b++) { // fewer live candidates than beams: park the rest
        sources[b] = 0;
        newScores[b] = Double.NEGATIVE_INFINITY;
        newSeqs[b] = new long[0];
        next[b][0] = startId;
      }
      state.reorder(sources);
      scores = newScores;
      seqs = newSeqs;
      if (filled == 0 || (bestTokens != null && !anyLiveCanBeat(bestScore, scores, seqs))) {
        break;
      }
    }
    if (bestTokens != null) {
      return bestTokens;
    }
    // Nothing finished within maxNewTokens: the best live (unfinished) hypothesis.
    long[] live = new long[0];
    double liveScore = Double.NEGATIVE_INFINITY;
    for (int b = 0; b < k; b++) {
      if (scores[b] != Double.NEGATIVE_INFINITY && normalize(scores[b], seqs[b].length) > liveScore) {
        liveScore = normalize(scores[b], seqs[b].length);
        live = seqs[b];
      }
    }
    return live;
  }

  private boolean ends(long token) {
    return token == eosId || cfg.stopTokens().contains(token);
  }

  /** Whether some live beam could still finish with a normalized score above {@code target}. */
  private boolean anyLiveCanBeat(double target, double[] scores, long[][] seqs) {
    for (int b = 0; b < scores.length; b++) {
      if (scores[b] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      // A finished length lies in [shortest, maxNewTokens]; the log-probability (< 0) can only fall.
      // Dividing by a growing length^p (p > 0) favours the longest; p < 0 favours the shortest.
      int shortest = Math.max(seqs[b].length + 1, cfg.minNewTokens());
      int bestLength = cfg.lengthPenalty() > 0 ? cfg.maxNewTokens() : shortest;
      if (normalize(scores[b], bestLength) > target) {
        return true;
      }
    }
    return false;
  }

  private double normalize(double logProb, int length) {
    return logProb / Math.pow(Math.max(1, length), cfg.lengthPenalty());
  }
}
