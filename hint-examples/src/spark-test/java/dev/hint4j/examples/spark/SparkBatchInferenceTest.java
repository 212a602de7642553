package dev.hint4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.examples.Quickstart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Local-mode Spark (two executor threads, four partitions) on the embedded demo model. */
class SparkBatchInferenceTest {
  @Test
  void answersEveryRowLikeTheLibraryCompilingEachTaskOnce() {
    List<String> instructions = List.of("Write the word in capital letters.", "Reverse the word.", "Copy the word.");
    List<String> inputs = List.of("lamp", "river", "stone", "cloud", "apple");
    List<Row> rows = new ArrayList<>();
    for (String instruction : instructions) {
      for (String input : inputs) {
        rows.add(RowFactory.create(instruction, input));
      }
    }
    Map<String, String> expected = new HashMap<>();
    try (HintModel model = HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build()) {
      for (String instruction : instructions) {
        try (BoundTask t = model.bind(model.compile(instruction))) {
          List<String> answers = t.generateBatch(inputs, GenerationConfig.greedy(16));
          for (int i = 0; i < inputs.size(); i++) {
            expected.put(instruction + "|" + inputs.get(i), answers.get(i));
          }
        }
      }
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("hint4j-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    try {
      StructType schema = new StructType().add("instruction", DataTypes.StringType).add("input", DataTypes.StringType);
      Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(4);
      SparkBatchInference.Result result = SparkBatchInference.run(spark, data,
          SparkBatchInference.ModelSource.classpath(Quickstart.DEMO_MODEL), 16);
      List<Row> answers = result.answers().collectAsList();
      assertThat(result.compiledTasks()).isEqualTo(instructions.size());
      assertThat(answers).hasSize(rows.size());
      for (Row r : answers) {
        assertThat(r.getString(2)).as("%s / %s", r.getString(0), r.getString(1))
            .isEqualTo(expected.get(r.getString(0) + "|" + r.getString(1)));
      }
    } finally {
      spark.stop();
    }
  }
}
