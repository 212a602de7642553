package dev.hint4j.examples.service;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.InvalidInputException;
import dev.hint4j.TaskModule;
import dev.hint4j.examples.Quickstart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP service (the JDK's {@code HttpServer}) that compiles each task once and answers
 * inputs with it:
 * <ul>
 *   <li>{@code POST /tasks} {@code {"instruction": "...", "examples": [{"input": "...", "output": "..."}]}}
 *       → 201 {@code {"id": "...", "compiled": true}} (200 and {@code false} when the task was known);</li>
 *   <li>{@code POST /tasks/{id}/run} {@code {"inputs": ["...", ...], "maxNewTokens": 32}} → 200 {@code {"outputs": [...]}};</li>
 *   <li>{@code GET /metrics}: cache hits, misses and evictions, loads from disk, compile and run latency.</li>
 * </ul>
 * Compiled tasks live in a byte-bounded memory cache and in a directory, so a restart keeps them
 * (see {@link TaskStore}). Bad requests get 400 with a message saying what to fix, unknown tasks
 * 404, oversized bodies 413.
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.service.TaskService
 * -Dexec.args="--port 8080 --dir target/tasks --memory-mb 256"} (the embedded demo model; {@code --model-dir DIR} for another).
 */
public final class TaskService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);
  static final int MAX_BODY_BYTES = 1 << 20;
  static final int MAX_INPUTS = 64;
  private static final Pattern RUN = Pattern.compile("^/tasks/([0-9a-f]{16,128})/run$");
  private static final Gson GSON = new Gson();

  private final HintModel model;
  private final TaskStore store;
  private final ServiceMetrics metrics = new ServiceMetrics();
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  /** Request bodies, as sent (checked after parsing, so a missing field gets a message, not a parse error). */
  record CreateTask(String instruction, List<ExampleJson> examples) {}

  record ExampleJson(String input, String output) {}

  record RunTask(List<String> inputs, Integer maxNewTokens) {}

  /** Starts serving on {@code address} (port 0: any free port). The model stays the caller's to close. */
  public TaskService(HintModel model, Path taskDir, long memoryBytes, InetSocketAddress address) throws IOException {
    this.model = model;
    this.store = new TaskStore(model, memoryBytes, taskDir, metrics);
    server = HttpServer.create(address, 0);
    server.createContext("/tasks", this::tasks);
    server.createContext("/metrics", this::metrics);
    server.setExecutor(workers);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void tasks(HttpExchange ex) throws IOException {
    handle(ex, () -> {
      String path = ex.getRequestURI().getPath();
      if (!ex.getRequestMethod().equals("POST")) {
        return new Reply(405, Map.of("error", "use POST for " + path));
      }
      if (path.equals("/tasks")) {
        CreateTask req = body(ex, CreateTask.class);
        if (req.instruction() == null) {
          throw new InvalidInputException("the body needs \"instruction\" (a string)");
        }
        List<Example> examples = new ArrayList<>();
        for (ExampleJson e : req.examples() == null ? List.<ExampleJson>of() : req.examples()) {
          if (e == null || e.input() == null || e.output() == null) {
            throw new InvalidInputException("every example needs \"input\" and \"output\" strings");
          }
          examples.add(Example.of(e.input(), e.output()));
        }
        TaskStore.Created c = store.create(req.instruction(), examples);
        return new Reply(c.compiled() ? 201 : 200, Map.of("id", c.id(), "compiled", c.compiled()));
      }
      Matcher m = RUN.matcher(path);
      if (!m.matches()) {
        return new Reply(404, Map.of("error", "no such resource: " + path + " (POST /tasks or /tasks/{id}/run)"));
      }
      Optional<TaskModule> task = store.get(m.group(1));
      if (task.isEmpty()) {
        return new Reply(404, Map.of("error", "unknown task " + m.group(1) + "; create it with POST /tasks"));
      }
      RunTask req = body(ex, RunTask.class);
      List<String> inputs = req.inputs();
      if (inputs == null || inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
        throw new InvalidInputException("the body needs \"inputs\": 1 to " + MAX_INPUTS + " strings");
      }
      int limit = model.config().maxTargetLength();
      int maxNew = req.maxNewTokens() == null ? Math.min(32, limit) : req.maxNewTokens();
      if (maxNew < 1 || maxNew > limit) {
        throw new InvalidInputException("maxNewTokens must be 1 to " + limit + " for this model, got " + maxNew);
      }
      long start = System.nanoTime();
      List<String> outputs;
      try (BoundTask bound = model.bind(task.get())) {
        outputs = bound.generateBatch(new ArrayList<>(inputs), GenerationConfig.greedy(maxNew));
      }
      metrics.ran(System.nanoTime() - start);
      return new Reply(200, Map.of("outputs", outputs));
    });
  }

  private void metrics(HttpExchange ex) throws IOException {
    handle(ex, () -> ex.getRequestMethod().equals("GET")
        ? new Reply(200, metrics.snapshot(store.evictions(), store.tasksOnDisk()))
        : new Reply(405, Map.of("error", "use GET for /metrics")));
  }

  private record Reply(int status, Object body) {}

  private interface Handler {
    Reply handle() throws IOException;
  }

  /** Runs a handler and maps failures to statuses; always answers and closes the exchange. */
  private static void handle(HttpExchange ex, Handler h) throws IOException {
    Reply reply;
    try {
      reply = h.handle();
    } catch (BodyTooLarge e) {
      reply = new Reply(413, Map.of("error", e.getMessage()));
    } catch (InvalidInputException e) {
      reply = new Reply(400, Map.of("error", e.getMessage()));
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      reply = new Reply(400, Map.of("error", "the body is not the JSON this endpoint takes: " + e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      reply = new Reply(500, Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    byte[] bytes = GSON.toJson(reply.body()).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static final class BodyTooLarge extends RuntimeException {
    BodyTooLarge() {
      super("the request body exceeds " + MAX_BODY_BYTES + " bytes");
    }
  }

  private static <T> T body(HttpExchange ex, Class<T> type) throws IOException {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new BodyTooLarge();
    }
    T value = GSON.fromJson(new String(bytes, StandardCharsets.UTF_8), type);
    if (value == null) {
      throw new InvalidInputException("the request body is empty; send a JSON object");
    }
    return value;
  }

  /** Stops accepting requests, lets those in flight finish (up to 5 s), and stops the workers. */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws IOException {
    int port = 8080;
    Path dir = Path.of("target/tasks");
    long memoryMb = 256;
    Path modelDir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--memory-mb" -> memoryMb = Long.parseLong(args[i + 1]);
        case "--model-dir" -> modelDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --port N, --dir DIR, --memory-mb N, --model-dir DIR");
      }
    }
    HintModel model = modelDir == null ? HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build()
        : HintModel.builder().modelDir(modelDir).build();
    TaskService service = new TaskService(model, dir, memoryMb << 20, new InetSocketAddress(port));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      model.close();
    }));
    System.out.printf("serving %s on http://localhost:%d (tasks kept in %s, %d MiB in memory)%n",
        model.manifest().name(), service.port(), dir, memoryMb);
  }
}
