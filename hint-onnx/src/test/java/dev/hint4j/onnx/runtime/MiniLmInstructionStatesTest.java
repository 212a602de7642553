package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.onnx.train.Trainer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2's per-token states, as the pretrained-instruction-states pilot reads them. */
class MiniLmInstructionStatesTest {
  static MiniLmInstructionStates minilm;

  @BeforeAll
  static void load() {
    minilm = new MiniLmInstructionStates(Trainer.CPU, 1 << 20);
  }

  @AfterAll
  static void close() {
    minilm.close();
  }

  /**
   * Sane states: [CLS] + word pieces + [SEP] rows of 384 finite floats, and the sentence vectors
   * the model was trained to give (mean over tokens, normalized) put two wordings of one rule
   * closer than a rule and an unrelated sentence, and closer than two different rules.
   */
  @Test
  void paraphrasesAreCloserThanUnrelatedSentences() {
    List<String> texts = List.of("Reverse the letters of the word.", "Write the word backwards.",
        "Convert every letter to upper case.", "The train to Paris leaves at nine tomorrow morning.");
    List<float[]> states = minilm.states(texts);
    for (float[] s : states) {
      assertThat(s.length % MiniLmInstructionStates.WIDTH).isZero();
      for (float v : s) {
        assertThat(v).isFinite();
      }
    }
    // "Write the word backwards." is 5 word pieces + [CLS] + [SEP] (each of its words is in the vocabulary).
    assertThat(states.get(1).length / MiniLmInstructionStates.WIDTH).isEqualTo(7);
    double paraphrase = cosine(pooled(states.get(0)), pooled(states.get(1)));
    double otherRule = cosine(pooled(states.get(0)), pooled(states.get(2)));
    double unrelated = cosine(pooled(states.get(0)), pooled(states.get(3)));
    assertThat(paraphrase).as("paraphrase %.3f vs other rule %.3f vs unrelated %.3f", paraphrase, otherRule, unrelated)
        .isGreaterThan(otherRule).isGreaterThan(unrelated + 0.2);
  }

  /** A text seen before comes from the cache (the same states, no encoder run); a new text is encoded. */
  @Test
  void repeatedTextsComeFromTheCache() {
    long hits = minilm.hits();
    long misses = minilm.misses();
    List<float[]> first = minilm.states(List.of("Sort the letters.", "Sort the letters."));
    assertThat(minilm.misses() - misses).isEqualTo(1);
    assertThat(minilm.hits() - hits).isEqualTo(1);
    List<float[]> again = minilm.states(List.of("Sort the letters.", "Double every letter."));
    assertThat(minilm.misses() - misses).isEqualTo(2);
    assertThat(minilm.hits() - hits).isEqualTo(2);
    assertThat(again.get(0)).isSameAs(first.get(0));
    assertThat(first.get(1)).isSameAs(first.get(0));
  }

  /** Mean over the tokens, L2-normalized: the sentence vector of sentence-transformers' all-MiniLM-L6-v2. */
  static double[] pooled(float[] states) {
    int w = MiniLmInstructionStates.WIDTH;
    int n = states.length / w;
    double[] v = new double[w];
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < w; i++) {
        v[i] += states[t * w + i] / n;
      }
    }
    double norm = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
    return java.util.Arrays.stream(v).map(x -> x / norm).toArray();
  }

  static double cosine(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
