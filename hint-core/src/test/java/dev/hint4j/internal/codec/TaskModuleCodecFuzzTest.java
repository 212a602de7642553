package dev.hint4j.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.hash.Hashing;
import dev.hint4j.IncompatibleModuleException;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link TaskModuleCodec#decode}: whatever the bytes, decoding either
 * returns a module or throws {@link IncompatibleModuleException}; any other throwable is a finding.
 * A module that decodes re-encodes to bytes that decode to an equal module.
 *
 * <p>In a plain {@code mvn verify} this replays the seeds in {@code TaskModuleCodecFuzzTestInputs}
 * only; see "Fuzzing" in the README for a real fuzzing run.
 */
class TaskModuleCodecFuzzTest {
  private static final int CHECKSUM_BYTES = 32;

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] bytes) {
    check(bytes);
    // Mutated bytes almost never keep a valid SHA-256 trailer, which would stop the fuzzer at the
    // checksum; so also decode them with the trailer recomputed, to reach the parser behind it.
    if (bytes.length >= CHECKSUM_BYTES) {
      byte[] fixed = bytes.clone();
      int body = bytes.length - CHECKSUM_BYTES;
      byte[] sum = Hashing.sha256().hashBytes(bytes, 0, body).asBytes();
      System.arraycopy(sum, 0, fixed, body, CHECKSUM_BYTES);
      if (!Arrays.equals(fixed, bytes)) {
        check(fixed);
      }
    }
  }

  private static void check(byte[] bytes) {
    TaskModule module;
    try {
      module = TaskModuleCodec.decode(bytes);
    } catch (IncompatibleModuleException expected) {
      return;
    }
    roundTrip(module, Precision.FLOAT32);
    if (bytes[TaskModuleCodec.MAGIC.length + 2] == Precision.FLOAT16.ordinal()) {
      roundTrip(module, Precision.FLOAT16); // values read from float16 fit float16
    }
  }

  private static void roundTrip(TaskModule module, Precision precision) {
    TaskModule back = TaskModuleCodec.decode(TaskModuleCodec.encode(module, precision));
    if (!back.equals(module) || !back.tensors().equals(module.tensors()) || !back.id().equals(module.id())
        || !back.examples().equals(module.examples())
        || !back.modelFingerprint().equals(module.modelFingerprint())) {
      throw new AssertionError(precision + " round trip changed the module: " + module + " -> " + back);
    }
  }
}
