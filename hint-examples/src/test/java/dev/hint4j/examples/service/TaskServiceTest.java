package dev.hint4j.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.examples.Quickstart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caching service over loopback, on the embedded demo model. */
class TaskServiceTest {
  static HintModel model;
  final HttpClient http = HttpClient.newHttpClient();
  final Gson gson = new Gson();

  @BeforeAll
  static void load() {
    model = HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  record Response(int status, JsonObject body) {}

  Response call(TaskService s, String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
    b = method.equals("GET") ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), gson.fromJson(r.body(), JsonObject.class));
  }

  TaskService start(Path dir) throws IOException {
    return new TaskService(model, dir, 64L << 20, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @Test
  void compilesOnceAnswersLikeTheLibraryAndKeepsTasksAcrossARestart(@TempDir Path dir) throws Exception {
    String create = "{\"instruction\": \"Write the word in capital letters.\", \"examples\": [{\"input\": \"cat\", \"output\": \"CAT\"}]}";
    String run = "{\"inputs\": [\"lamp\", \"river\"], \"maxNewTokens\": 16}";
    List<String> expected;
    try (BoundTask direct = model.bind(model.compile("Write the word in capital letters.", List.of(Example.of("cat", "CAT"))))) {
      expected = direct.generateBatch(List.of("lamp", "river"), GenerationConfig.greedy(16));
    }
    String id;
    try (TaskService s = start(dir)) {
      Response created = call(s, "POST", "/tasks", create);
      assertThat(created.status()).isEqualTo(201);
      id = created.body().get("id").getAsString();
      assertThat(created.body().get("compiled").getAsBoolean()).isTrue();
      Response again = call(s, "POST", "/tasks", create);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body().get("id").getAsString()).isEqualTo(id);

      Response answered = call(s, "POST", "/tasks/" + id + "/run", run);
      assertThat(answered.status()).isEqualTo(200);
      assertThat(gson.fromJson(answered.body().get("outputs"), String[].class)).containsExactlyElementsOf(expected);

      JsonObject m = call(s, "GET", "/metrics", "").body();
      assertThat(m.get("cacheMisses").getAsLong()).isEqualTo(1);
      assertThat(m.get("cacheHits").getAsLong()).isEqualTo(2); // the second create, the run
      assertThat(m.getAsJsonObject("compileMs").get("count").getAsLong()).isEqualTo(1);
      assertThat(m.getAsJsonObject("runMs").get("count").getAsLong()).isEqualTo(1);
    }
    assertThat(dir.resolve(id + TaskStore.SUFFIX)).exists();

    try (TaskService restarted = start(dir)) { // a new process would see the same directory
      Response answered = call(restarted, "POST", "/tasks/" + id + "/run", run);
      assertThat(answered.status()).isEqualTo(200);
      List<String> outputs = List.of(gson.fromJson(answered.body().get("outputs"), String[].class));
      // The file holds float16 tensors; greedy answers of this model survive the rounding.
      assertThat(outputs).isEqualTo(expected);
      JsonObject m = call(restarted, "GET", "/metrics", "").body();
      assertThat(m.get("loadsFromDisk").getAsLong()).isEqualTo(1);
      assertThat(m.getAsJsonObject("compileMs").get("count").getAsLong()).isZero();
    }
  }

  @Test
  void evictedTasksComeBackFromDisk(@TempDir Path dir) throws Exception {
    // A memory budget below one module: every task is evicted at once and read back per run.
    try (TaskService s = new TaskService(model, dir, 1024, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      String id = call(s, "POST", "/tasks", "{\"instruction\": \"Reverse the word.\"}").body().get("id").getAsString();
      assertThat(call(s, "POST", "/tasks/" + id + "/run", "{\"inputs\": [\"abc\"]}").status()).isEqualTo(200);
      JsonObject m = call(s, "GET", "/metrics", "").body();
      assertThat(m.get("loadsFromDisk").getAsLong()).isEqualTo(1);
      assertThat(m.get("tasksOnDisk").getAsLong()).isEqualTo(1);
    }
  }

  @Test
  void badRequestsGetAStatusAndAMessage(@TempDir Path dir) throws Exception {
    try (TaskService s = start(dir)) {
      Response r = call(s, "POST", "/tasks", "{\"examples\": []}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().get("error").getAsString()).contains("instruction");
      assertThat(call(s, "POST", "/tasks", "not json").status()).isEqualTo(400);
      assertThat(call(s, "POST", "/tasks", "").body().get("error").getAsString()).contains("empty");
      r = call(s, "POST", "/tasks", "{\"instruction\": \"x\", \"examples\": [{\"input\": \"a\"}]}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().get("error").getAsString()).contains("\"output\"");
      assertThat(call(s, "POST", "/tasks", "{\"instruction\": \"\"}").status()).isEqualTo(400); // empty instruction

      String id = call(s, "POST", "/tasks", "{\"instruction\": \"Copy the word.\"}").body().get("id").getAsString();
      assertThat(call(s, "POST", "/tasks/" + id + "/run", "{\"inputs\": []}").status()).isEqualTo(400);
      r = call(s, "POST", "/tasks/" + id + "/run", "{\"inputs\": [\"a\"], \"maxNewTokens\": 100000}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().get("error").getAsString()).contains("maxNewTokens");
      assertThat(call(s, "POST", "/tasks/" + "0".repeat(64) + "/run", "{\"inputs\": [\"a\"]}").status()).isEqualTo(404);
      assertThat(call(s, "GET", "/tasks", "").status()).isEqualTo(405);
      assertThat(call(s, "POST", "/tasks/x/y", "{}").status()).isEqualTo(404);
      assertThat(call(s, "POST", "/tasks", "{\"instruction\": \"" + "a".repeat(TaskService.MAX_BODY_BYTES) + "\"}").status())
          .isEqualTo(413);
    }
    assertThat(Files.list(dir).filter(f -> f.toString().endsWith(".tmp")).count()).isZero();
  }
}
