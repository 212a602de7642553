package dev.hint4j.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.GenerationConfig;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.List;
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
    long[] best = Decoding.beamSearch(new Markov(P, 3), GenerationConfig.beam(3, 10).withLengthPenalty(0), 0, 1);
    assertThat(best).containsExactly(3, 4);
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
