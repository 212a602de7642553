package dev.hint4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory as Linux reports it in {@code /proc/self/status}; -1 elsewhere. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Resident set size now (VmRSS), in bytes. */
  public static long rssBytes() {
    return statusBytes("VmRSS:");
  }

  /** Peak resident set size so far (VmHWM), in bytes. */
  public static long peakRssBytes() {
    return statusBytes("VmHWM:");
  }

  private static long statusBytes(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // reported in kB
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1; // not Linux
    }
    return -1;
  }
}
