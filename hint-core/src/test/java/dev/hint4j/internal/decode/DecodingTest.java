package dev.hint4j.internal.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.GenerationConfig;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decoding loops over a scripted backend whose next-token distribution depends only on the last token. */
class DecodingTest {
  static final int V = 5; // 0 start, 1 EOS, 2..4 symbols

  /** A Markov chain: row r of the table gives log-probabilities after token r. Rows are independent. */
  static final class Markov implements DecodeState {
    final double[][] logp;
    final int batch;
    long[] last;
    final List<int[]> reorders = new ArrayList<>();
    int steps;

    Markov(double[][] probs, int batch) {
      this.logp = new double[probs.length][];
      for (int i = 0; i < probs.length; i++) {
        logp[i] = new double[V];
        for (int v = 0; v < V; v++) {
          logp[i][v] = Math.log(probs[i][v]);
        }
      }
      this.batch = batch;
    }

    @Override public int batchSize() { return batch; }
    @Override public int vocabSize() { return V; }

    @Override
    public float[] step(long[][] tokens) {
      steps++;
      int t = tokens[0].length;
      float[] out = new float[batch * t * V];
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < t; i++) {
          for (int v = 0; v < V; v++) {
            out[(b * t + i) * V + v] = (float) logp[(int) tokens[b][i]][v];
          }
        }
      }
      return out;
    }

    @Override public void reorder(int[] sourceRows) { reorders.add(sourceRows.clone()); }
    @Override public void close() {}
  }

  // After start: 2 (0.5) or 3 (0.45); after 2: EOS 0.6 / 4 0.4; after 3: 4 (0.95); after 4: EOS (0.9).
  static final double[][] P = {
      {0.01, 0.01, 0.5, 0.45, 0.03},
      {0.2, 0.2, 0.2, 0.2, 0.2},
      {0.0001, 0.6, 0.0001, 0.0001, 0.3997},
      {0.01, 0.02, 0.01, 0.01, 0.95},
      {0.02, 0.9, 0.04, 0.02, 0.02}};

  @Test
  void greedyTakesTheLocallyBestToken() {
    List<long[]> out = Decoding.generate(new Markov(P, 1), GenerationConfig.greedy(10), 0, 1, null);
    assertThat(out.get(0)).containsExactly(2); // 2 (0.5) then EOS (0.6): p = 0.30
  }

  @Test
  void beamSearchFindsTheGloballyBetterSequence() {
    // Sequence "3 4" has p = 0.45·0.95·0.9 = 0.385 > "2" with 0.5·0.6 = 0.30; greedy misses it.
    long[] best = Decoding.beamSearch(new Markov(P, 3), GenerationConfig.beam(3, 10), 0, 1);
    assertThat(best).containsExactly(3, 4);
  }

  @Test
  void oneBeamIsGreedy() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      double[][] chain = randomChain(rnd);
      int max = 1 + rnd.nextInt(12);
      int min = rnd.nextInt(max + 1);
      GenerationConfig greedy = GenerationConfig.greedy(max).withMinNewTokens(min);
      long[] want = Decoding.generate(new Markov(chain, 1), greedy, 0, 1, null).get(0);
      GenerationConfig beam = GenerationConfig.beam(1, max).withMinNewTokens(min);
      assertThat(Decoding.beamSearch(new Markov(chain, 1), beam, 0, 1)).as("trial %d", trial).containsExactly(want);
    }
  }

  @Test
  void stoppingEarlyGivesTheAnswerOfRunningToTheEnd() {
    Random rnd = new Random(11);
    int earlier = 0;
    for (int trial = 0; trial < 400; trial++) {
      long seed = rnd.nextLong();
      int beams = 1 + rnd.nextInt(4);
      int max = 1 + rnd.nextInt(12);
      int min = rnd.nextInt(max + 1);
      double penalty = new double[] {0, 0, 0.5, 1, 2, -0.5}[rnd.nextInt(6)];
      Set<Long> stops = rnd.nextBoolean() ? Set.of() : Set.of(4L);
      GenerationConfig cfg = GenerationConfig.beam(beams, max).withMinNewTokens(min).withLengthPenalty(penalty)
          .withStopTokens(stops);
      HistoryChain state = new HistoryChain(seed, beams);
      long[] got = Decoding.beamSearch(state, cfg, 0, 1);
      assertThat(got).as("trial %d: %s", trial, cfg).containsExactly(beamToTheEnd(seed, cfg));
      assertThat(state.steps).isLessThanOrEqualTo(max);
      if (state.steps < max) {
        earlier++;
      }
    }
    // EOS has probability ~1/5 per step: most searches stop before maxNewTokens.
    assertThat(earlier).isGreaterThan(100);
  }

  /**
   * Next-token log-probabilities drawn from the row's whole history (so no two sequences tie, as
   * reorderings of a Markov chain's cycles would); {@link #reorder} moves histories between rows.
   */
  static final class HistoryChain implements DecodeState {
    final long seed;
    List<List<Long>> rows = new ArrayList<>();
    int steps;

    HistoryChain(long seed, int batch) {
      this.seed = seed;
      for (int b = 0; b < batch; b++) {
        rows.add(new ArrayList<>());
      }
    }

    static float[] logits(long seed, List<Long> history) {
      Random r = new Random(seed * 31 + history.hashCode());
      float[] out = new float[V];
      for (int v = 0; v < V; v++) {
        out[v] = (float) (2 * r.nextGaussian());
      }
      return out;
    }

    @Override public int batchSize() { return rows.size(); }
    @Override public int vocabSize() { return V; }

    @Override
    public float[] step(long[][] tokens) {
      steps++;
      float[] out = new float[rows.size() * V];
      for (int b = 0; b < rows.size(); b++) {
        rows.get(b).add(tokens[b][0]);
        System.arraycopy(logits(seed, rows.get(b)), 0, out, b * V, V);
      }
      return out;
    }

    @Override
    public void reorder(int[] sourceRows) {
      List<List<Long>> moved = new ArrayList<>();
      for (int source : sourceRows) {
        moved.add(new ArrayList<>(rows.get(source)));
      }
      rows = moved;
    }

    @Override public void close() {}
  }

  @Test
  void defaultBeamSearchStopsOnceNoBeamCanWin() {
    // After "3 4 EOS" (p = 0.385) no live beam can exceed it: the search stops at step 3, not 64.
    Markov state = new Markov(P, 3);
    assertThat(Decoding.beamSearch(state, GenerationConfig.beam(3, 64), 0, 1)).containsExactly(3, 4);
    assertThat(state.steps).isLessThanOrEqualTo(4);
  }

  /** Random next-token distributions over the 5 tokens (start, EOS, 3 symbols). */
  private static double[][] randomChain(Random rnd) {
    double[][] chain = new double[V][V];
    for (double[] row : chain) {
      double sum = 0;
      for (int v = 0; v < V; v++) {
        row[v] = 0.01 + rnd.nextDouble();
        sum += row[v];
      }
      for (int v = 0; v < V; v++) {
        row[v] /= sum;
      }
    }
    return chain;
  }

  /**
   * Reference: the same beam search (2k candidates per step, best finished hypothesis wins, ties
   * to the earlier one) written plainly and always run to maxNewTokens, without the stopping bound.
   */
  private static long[] beamToTheEnd(long seed, GenerationConfig cfg) {
    record Beam(List<Long> tokens, double logp) {}
    record Cand(Beam from, int token, double logp) {}
    List<Beam> beams = List.of(new Beam(List.of(), 0));
    List<Long> best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int step = 0; step < cfg.maxNewTokens() && !beams.isEmpty(); step++) {
      List<Cand> cands = new ArrayList<>();
      for (Beam b : beams) {
        List<Long> history = new ArrayList<>();
        history.add(0L);
        history.addAll(b.tokens());
        double[] logp = logSoftmax(HistoryChain.logits(seed, history));
        for (int v = 0; v < V; v++) {
          boolean ends = v == 1 || cfg.stopTokens().contains((long) v);
          if (!(ends && step < cfg.minNewTokens())) {
            cands.add(new Cand(b, v, b.logp() + logp[v]));
          }
        }
      }
      cands.sort((x, y) -> Double.compare(y.logp(), x.logp()));
      cands = cands.subList(0, Math.min(cands.size(), 2 * cfg.numBeams()));
      List<Beam> next = new ArrayList<>();
      for (Cand c : cands) {
        if (next.size() == cfg.numBeams()) {
          break;
        }
        if (c.token() == 1 || cfg.stopTokens().contains((long) c.token())) {
          double score = c.logp() / Math.pow(c.from().tokens().size() + 1, cfg.lengthPenalty());
          if (score > bestScore) {
            bestScore = score;
            best = c.from().tokens();
          }
        } else {
          List<Long> tokens = new ArrayList<>(c.from().tokens());
          tokens.add((long) c.token());
          next.add(new Beam(tokens, c.logp()));
        }
      }
      beams = next;
      if (step == cfg.maxNewTokens() - 1 && best == null) {
        for (Beam b : beams) {
          double score = b.logp() / Math.pow(Math.max(1, b.tokens().size()), cfg.lengthPenalty());
          if (score > bestScore) {
            bestScore = score;
            best = b.tokens();
          }
        }
      }
    }
    return best == null ? new long[0] : best.stream().mapToLong(Long::longValue).toArray();
  }

  private static double[] logSoftmax(float[] logits) {
    double sum = 0;
    for (float x : logits) {
      sum += Math.exp(x);
    }
    double[] out = new double[logits.length];
    for (int v = 0; v < out.length; v++) {
      out[v] = logits[v] - Math.log(sum);
    }
    return out;
  }


  @Test
  void minNewTokensDelaysEosAndMaxNewTokensStops() {
    List<long[]> out = Decoding.generate(new Markov(P, 1), GenerationConfig.greedy(3).withMinNewTokens(3), 0, 1, null);
    assertThat(out.get(0)).hasSize(3);
  }

  @Test
  void logLikelihoodSumsTeacherForcedLogProbs() {
    double ll = Decoding.logLikelihood(new Markov(P, 1), new long[] {3, 4, 1}, 0);
    assertThat(ll).isCloseTo(Math.log(0.45) + Math.log(0.95) + Math.log(0.9), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void samplingFollowsTheDistributionAndTheSeed() {
    int twos = 0;
    int n = 2000;
    for (int seed = 0; seed < n; seed++) {
      long[] out = Decoding.generate(new Markov(P, 1), GenerationConfig.sampling(1, 1.0, 0, 1.0, seed), 0, 1, null).get(0);
      if (out.length == 1 && out[0] == 2) {
        twos++;
      }
    }
    // P(2) = 0.5; with n = 2000 the standard deviation of the share is 0.011: 5 sigma is 0.056.
    assertThat(twos / (double) n).isBetween(0.5 - 0.056, 0.5 + 0.056);
    GenerationConfig top1 = GenerationConfig.sampling(4, 1.0, 1, 1.0, 9);
    assertThat(Decoding.generate(new Markov(P, 1), top1, 0, 1, null).get(0))
        .containsExactly(Decoding.generate(new Markov(P, 1), GenerationConfig.greedy(4), 0, 1, null).get(0));
  }
}
