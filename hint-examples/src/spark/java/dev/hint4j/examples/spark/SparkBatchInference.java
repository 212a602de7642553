package dev.hint4j.examples.spark;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch inference over a dataset of (instruction, input) rows on Apache Spark: each distinct
 * instruction is compiled once, on the driver; the {@code TaskModule} bytes (float32) go to the
 * executors as one broadcast; each executor JVM loads the model once and answers its partitions,
 * one batch per task per partition. Spark does the distribution; hint4j adds no scheduling of its own.
 *
 * <p>The model must be loadable on every executor: {@link ModelSource} names a directory that
 * exists on all of them (a shared file system, or files shipped with {@code --files}/an image),
 * or a model on the classpath of the application jar.
 */
public final class SparkBatchInference {
  /** How to open the model, on the driver and on each executor. */
  public record ModelSource(String classpathFolder, String directory) implements Serializable {
    public static ModelSource classpath(String folder) {
      return new ModelSource(folder, null);
    }

    public static ModelSource directory(String dir) {
      return new ModelSource(null, dir);
    }

    HintModel open() {
      HintModel.Builder b = HintModel.builder();
      return (classpathFolder != null ? b.classpathModel(classpathFolder) : b.modelDir(java.nio.file.Path.of(directory))).build();
    }
  }

  /** The output schema: the input columns and the generated answer. */
  public static final StructType OUTPUT = new StructType()
      .add("instruction", DataTypes.StringType)
      .add("input", DataTypes.StringType)
      .add("output", DataTypes.StringType);

  private SparkBatchInference() {}

  /**
   * @param rows columns {@code instruction} and {@code input} (strings)
   * @return one row per input row: instruction, input, output
   */
  public static Result run(SparkSession spark, Dataset<Row> rows, ModelSource source, int maxNewTokens) {
    List<String> instructions = rows.select("instruction").distinct().as(Encoders.STRING()).collectAsList();
    Map<String, byte[]> modules = new HashMap<>();
    String fingerprint;
    try (HintModel model = source.open()) {
      fingerprint = model.fingerprint();
      for (String instruction : instructions) {
        modules.put(instruction, model.compile(instruction).toBytes(Precision.FLOAT32));
      }
    }
    Broadcast<Map<String, byte[]>> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(modules);
    Dataset<Row> out = rows.select("instruction", "input").mapPartitions(
        new Answer(source, fingerprint, shared, maxNewTokens), Encoders.row(OUTPUT));
    return new Result(out, instructions.size());
  }

  /** The answers (lazy, as Spark datasets are) and how many tasks were compiled on the driver. */
  public record Result(Dataset<Row> answers, int compiledTasks) {}

  /** Runs on the executors: one model per JVM, the broadcast modules decoded once per partition. */
  private record Answer(ModelSource source, String fingerprint, Broadcast<Map<String, byte[]>> modules, int maxNewTokens)
      implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      HintModel model = ExecutorModels.get(source, fingerprint);
      Map<String, List<String>> byTask = new LinkedHashMap<>();
      while (input.hasNext()) {
        Row r = input.next();
        byTask.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1));
      }
      List<Row> out = new ArrayList<>();
      GenerationConfig gen = GenerationConfig.greedy(maxNewTokens);
      for (Map.Entry<String, List<String>> e : byTask.entrySet()) {
        TaskModule task = TaskModule.fromBytes(modules.value().get(e.getKey()), fingerprint);
        try (BoundTask bound = model.bind(task)) {
          List<String> answers = bound.generateBatch(e.getValue(), gen);
          for (int i = 0; i < answers.size(); i++) {
            out.add(RowFactory.create(e.getKey(), e.getValue().get(i), answers.get(i)));
          }
        }
      }
      return out.iterator();
    }
  }

  /** One open model per executor JVM and source, shared by its tasks (HintModel is thread-safe). */
  static final class ExecutorModels {
    private static final Map<ModelSource, HintModel> OPEN = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    static HintModel get(ModelSource source, String fingerprint) {
      HintModel m = OPEN.computeIfAbsent(source, s -> {
        HintModel opened = s.open();
        Runtime.getRuntime().addShutdownHook(new Thread(opened::close));
        return opened;
      });
      if (!m.fingerprint().equals(fingerprint)) {
        throw new IllegalStateException("the executor's model " + m.fingerprint() + " is not the driver's " + fingerprint);
      }
      return m;
    }
  }
}
