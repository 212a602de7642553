package dev.hint4j.examples.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintModel;
import dev.hint4j.examples.Quickstart;
import dev.hint4j.examples.suite.InstructionSuite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-family table asks every family the same number of questions and reports them all. */
class FamilyTableTest {
  @Test
  void everyFamilyIsAskedTheSameNumberOfExamplesPerSplit() {
    try (HintModel model = HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build()) {
      // A few families (a full table takes ~20 s): a reordering, a parameterised one, a word-level one, a digit one.
      List<String> families = List.of("reverse", "replace", "sort_words", "max_digit", "uppercase", "mirror");
      assertThat(InstructionSuite.familyIds()).containsAll(families);
      Map<String, int[][]> table = FamilyTable.evaluate(model, families, 2);
      assertThat(table.keySet()).containsExactlyElementsOf(families);
      int right = 0;
      for (int[][] tally : table.values()) {
        assertThat(tally.length).isEqualTo(FamilyTable.SPLITS.size());
        for (int[] t : tally) {
          assertThat(t[1]).isEqualTo(2);
          assertThat(t[0]).isBetween(0, 2);
          right += t[0];
        }
      }
      // The shipped model answers about two thirds of such questions; a table of zeros means the
      // examples are not the tasks they claim to be (or nothing was generated).
      assertThat(right).isGreaterThan(table.size() * FamilyTable.SPLITS.size() * 2 / 4);
      String md = FamilyTable.markdown(table, 2);
      assertThat(md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| family")).count()).isEqualTo(table.size());
      assertThat(FamilyTable.csv(table).lines().count()).isEqualTo(1 + table.size() * FamilyTable.SPLITS.size());
    }
  }
}
