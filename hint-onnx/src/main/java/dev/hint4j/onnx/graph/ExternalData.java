package dev.hint4j.onnx.graph;

import dev.hint4j.tensor.FloatTensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One external-data file shared by the graphs of a model: each tensor is stored once (keyed by
 * name), little-endian float32 or raw 8-bit, at a 64-byte aligned offset. Collect with
 * {@link OnnxModelWriter#toModel(Graph, Map, ExternalData)}, then write {@link #bytes()} next to
 * the models under {@link #fileName()}.
 */
public final class ExternalData {
  /** Where one tensor lives in the file. */
  public record Location(long offset, long length) {}

  private static final int ALIGNMENT = 64;

  private final String fileName;
  private final long thresholdBytes;
  private final Map<String, Location> placed = new LinkedHashMap<>();
  private final Map<String, FloatTensor> contents = new LinkedHashMap<>();
  private final Map<String, byte[]> byteContents = new LinkedHashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ExternalData(String fileName, long thresholdBytes) {
    if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
      throw new IllegalArgumentException("external data file name must be a plain file name: " + fileName);
    }
    this.fileName = fileName;
    this.thresholdBytes = thresholdBytes;
  }

  public String fileName() {
    return fileName;
  }

  public long thresholdBytes() {
    return thresholdBytes;
  }

  Location place(String name, FloatTensor t) {
    Location existing = placed.get(name);
    if (existing != null) {
      if (!t.equals(contents.get(name))) {
        throw new GraphBuildException("external tensor '" + name + "' placed twice with different data");
      }
      return existing;
    }
    ByteBuffer bb = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(t.buffer());
    Location loc = append(bb.array());
    placed.put(name, loc);
    contents.put(name, t);
    return loc;
  }

  /** 8-bit tensors (quantized weights), stored as given. */
  Location place(String name, byte[] data) {
    Location existing = placed.get(name);
    if (existing != null) {
      if (!java.util.Arrays.equals(data, byteContents.get(name))) {
        throw new GraphBuildException("external tensor '" + name + "' placed twice with different data");
      }
      return existing;
    }
    Location loc = append(data);
    placed.put(name, loc);
    byteContents.put(name, data);
    return loc;
  }

  private Location append(byte[] data) {
    while (out.size() % ALIGNMENT != 0) {
      out.write(0);
    }
    long offset = out.size();
    out.writeBytes(data);
    return new Location(offset, data.length);
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}
