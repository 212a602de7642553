package dev.hint4j.internal.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hint4j.ModelLoadException;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of {@link SafeTensors#parse}: whatever the bytes, parsing either
 * returns the contents or throws {@link ModelLoadException}, and never sizes an allocation from
 * an unchecked header (an {@link OutOfMemoryError} is a finding like any other throwable).
 * Contents that parse are written back with {@link SafeTensors#toBytes} and parse to equal contents.
 *
 * <p>In a plain {@code mvn verify} this replays the seeds in {@code SafeTensorsFuzzTestInputs}
 * only; see "Fuzzing" in the README for a real fuzzing run.
 */
class SafeTensorsFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse(byte[] bytes) {
    SafeTensors.Contents c;
    try {
      c = SafeTensors.parse(ByteBuffer.wrap(bytes), "fuzz input");
    } catch (ModelLoadException expected) {
      return;
    }
    SafeTensors.Contents back = SafeTensors.parse(ByteBuffer.wrap(SafeTensors.toBytes(c.tensors(), c.metadata())), "rewritten");
    if (!back.tensors().equals(c.tensors()) || !back.metadata().equals(c.metadata())) {
      throw new AssertionError("write/parse round trip changed the contents: " + c + " -> " + back);
    }
  }
}
