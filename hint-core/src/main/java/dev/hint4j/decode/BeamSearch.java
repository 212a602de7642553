package dev.hint4j.decode;

import dev.hint4j.GenerationConfig;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Beam search for one input. The state's rows are the beams; after each step the cache is
 * reordered so row b continues the hypothesis it was extended from. Finished hypotheses are
 * ranked by log-probability / length^lengthPenalty and the best numBeams kept; the search stops
 * at maxNewTokens, or once no live beam can still beat the worst kept hypothesis (log-probabilities
 * only fall as a sequence grows, so the bound below is exact, not a heuristic).
 */
final class BeamSearch {
  private record Candidate(int source, int token, double score) {}

  private record Hypothesis(long[] tokens, double normalizedScore) {}

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
    List<Hypothesis> finished = new ArrayList<>();
    for (int step = 0; step < cfg.maxNewTokens() && !done(finished, scores, seqs, k); step++) {
      float[] logits = state.step(next);
      PriorityQueue<Candidate> best = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score));
      for (int b = 0; b < k; b++) {
        if (scores[b] == Double.NEGATIVE_INFINITY) {
          continue;
        }
        double[] logp = LogProbs.of(logits, b * vocab, vocab, 1.0);
        for (int v = 0; v < vocab; v++) {
          double s = scores[b] + logp[v];
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
        if (c.token() == eosId || cfg.stopTokens().contains((long) c.token())) {
          finished.add(new Hypothesis(seqs[c.source()], normalize(c.score(), seqs[c.source()].length + 1)));
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
      finished.sort(Comparator.comparingDouble(Hypothesis::normalizedScore).reversed());
      while (finished.size() > k) {
        finished.remove(finished.size() - 1);
      }
      state.reorder(sources);
      scores = newScores;
      seqs = newSeqs;
      if (filled == 0) {
        break;
      }
    }
    if (finished.isEmpty()) {
      for (int b = 0; b < k; b++) {
        if (scores[b] != Double.NEGATIVE_INFINITY) {
          finished.add(new Hypothesis(seqs[b], normalize(scores[b], seqs[b].length)));
        }
      }
    }
    return finished.stream().max(Comparator.comparingDouble(Hypothesis::normalizedScore))
        .map(Hypothesis::tokens).orElse(new long[0]);
  }

  /** True when k hypotheses are finished and no live beam can end with a better normalized score. */
  private boolean done(List<Hypothesis> finished, double[] scores, long[][] seqs, int k) {
    if (finished.size() < k) {
      return false;
    }
    double worstKept = finished.get(k - 1).normalizedScore();
    for (int b = 0; b < scores.length; b++) {
      if (scores[b] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      // Raw log-probability only decreases; its best normalization is at the longest length when the
      // penalty divides by a growing length (penalty > 0), at the next length otherwise.
      int bestLength = cfg.lengthPenalty() > 0 ? cfg.maxNewTokens() : seqs[b].length + 1;
      if (normalize(scores[b], bestLength) > worstKept) {
        return false;
      }
    }
    return true;
  }

  private double normalize(double logProb, int length) {
    return logProb / Math.pow(Math.max(1, length), cfg.lengthPenalty());
  }
}
