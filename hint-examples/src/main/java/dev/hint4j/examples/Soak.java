package dev.hint4j.examples;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Native-memory soak (a command, not a unit test): many generate calls on one bound task, then
 * many compile/bind/close cycles, printing resident set size, Java heap and direct buffers at
 * intervals. A leak of native tensors or sessions shows as RSS that keeps climbing after the
 * first interval (allocator arenas and JIT warm-up make the first interval grow legitimately).
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.Soak
 * -Dexec.args="--generate 100000 --compile 10000"}
 */
public final class Soak {
  private Soak() {}

  public static void main(String[] args) {
    int generates = 100_000;
    int compiles = 10_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--generate" -> generates = Integer.parseInt(args[i + 1]);
        case "--compile" -> compiles = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --generate N --compile N)");
      }
    }
    GenerationConfig greedy = GenerationConfig.greedy(16);
    List<String> inputs = List.of("abcde", "hello world", "xyz", "qwerty uiop", "mnop");
    try (HintModel model = HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build()) {
      System.out.printf("%-10s %10s %10s %10s %12s %12s%n", "phase", "calls", "RSS MiB", "heap MiB", "direct bufs", "direct MiB");
      report("start", 0);
      try (BoundTask bound = model.bind(model.compile("Write the letters of the input in reverse order."))) {
        int every = Math.max(1, generates / 10);
        for (int i = 1; i <= generates; i++) {
          bound.generate(inputs.get(i % inputs.size()), greedy);
          if (i % every == 0) {
            report("generate", i);
          }
        }
      }
      int every = Math.max(1, compiles / 10);
      for (int i = 1; i <= compiles; i++) {
        TaskModule module = model.compile("Delete every letter '" + (char) ('a' + i % 16) + "' from the input.");
        try (BoundTask bound = model.bind(module)) {
          bound.generate(inputs.get(i % inputs.size()), greedy);
        }
        if (i % every == 0) {
          report("compile", i);
        }
      }
    }
    report("closed", 0);
  }

  private static void report(String phase, int calls) {
    System.gc(); // live heap, not garbage waiting for the next collection
    Runtime rt = Runtime.getRuntime();
    long heap = rt.totalMemory() - rt.freeMemory();
    long directCount = 0;
    long directBytes = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        directCount = pool.getCount();
        directBytes = pool.getMemoryUsed();
      }
    }
    System.out.printf("%-10s %10d %10.1f %10.1f %12d %12.2f%n", phase, calls, ProcessMemory.rssBytes() / 1048576.0, heap / 1048576.0,
        directCount, directBytes / 1048576.0);
  }
}
