package dev.hint4j.internal.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.ModelLoadException;
import dev.hint4j.internal.codec.Half;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {@code {dtype, shape, data_offsets}} (plus an optional {@code __metadata__} map of
 * strings), then the raw little-endian data. Reads F32, F16 and BF16 into float32; writes any of them.
 *
 * <p>Reading memory-maps the file and checks every offset, shape and size against the file before
 * touching data: a hostile header fails with {@link ModelLoadException}, it never sizes an allocation.
 */
public final class SafeTensors {
  /** Tensors by name in file order, plus the string metadata. */
  public record Contents(Map<String, FloatTensor> tensors, Map<String, String> metadata) {}

  /** Element types hint4j writes: float32, IEEE half, bfloat16 (both rounded to nearest even). */
  public enum Dtype {
    F32(4), F16(2), BF16(2);

    final int bytes;

    Dtype(int bytes) {
      this.bytes = bytes;
    }
  }

  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** Writes float32 tensors and metadata atomically. */
  public static void write(Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata) {
    AtomicFiles.write(file, toBytes(tensors, metadata));
  }

  /** Writes tensors in {@code dtype} and metadata atomically. */
  public static void write(Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata, Dtype dtype) {
    AtomicFiles.write(file, toBytes(tensors, metadata, dtype));
  }

  /** The bytes {@link #write} puts in a file: the JSON header (with the metadata), then float32 data in map order. */
  public static byte[] toBytes(Map<String, FloatTensor> tensors, Map<String, String> metadata) {
    return toBytes(tensors, metadata, Dtype.F32);
  }

  /** As {@link #toBytes(Map, Map)}, with the data in {@code dtype}. */
  public static byte[] toBytes(Map<String, FloatTensor> tensors, Map<String, String> metadata, Dtype dtype) {
    JsonObject header = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", dtype.name());
      com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      t.add("shape", shape);
      com.google.gson.JsonArray offsets = new com.google.gson.JsonArray();
      offsets.add(offset);
      offset += (long) e.getValue().size() * dtype.bytes;
      offsets.add(offset);
      t.add("data_offsets", offsets);
      header.add(e.getKey(), t);
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // align data to 8 bytes (spaces are valid JSON padding)
    long total = 8 + padded + offset;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensors too large for one file: " + total + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    for (FloatTensor t : tensors.values()) {
      for (int i = 0; i < t.size(); i++) {
        switch (dtype) {
          case F32 -> b.putFloat(t.get(i));
          case F16 -> b.putShort(Half.fromFloat(t.get(i)));
          case BF16 -> b.putShort(bfloat16(t.get(i)));
        }
      }
    }
    return b.array();
  }

  /** The bfloat16 nearest to {@code f} (ties to even); NaN stays NaN. */
  static short bfloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) ((bits >>> 16) | 0x40); // keep it a NaN after truncation
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  public static Contents read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new ModelLoadException(file + " is over 2 GiB; split it into shards");
      }
      ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      return parse(map, file.toString());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses safetensors bytes (a file's contents) from the buffer's position to its limit. */
  public static Contents parse(ByteBuffer bytes, String source) {
    ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN); // from the buffer's position: offsets below are absolute
    if (b.remaining() < 8) {
      throw bad(source, "shorter than its 8-byte header length");
    }
    long headerLength = b.getLong(0);
    if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > b.remaining() - 8) {
      throw bad(source, "header length " + headerLength + " does not fit the " + b.remaining() + "-byte file");
    }
    byte[] json = new byte[(int) headerLength];
    b.position(8);
    b.get(json);
    long dataStart = 8 + headerLength;
    long dataLength = b.limit() - dataStart;
    JsonObject header;
    try {
      header = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw bad(source, "header is not a JSON object: " + e.getMessage());
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    record Entry(String name, String dtype, long[] shape, long begin, long end) {}
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      try {
        if (e.getKey().equals("__metadata__")) {
          for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
            metadata.put(m.getKey(), m.getValue().getAsString());
          }
          continue;
        }
        JsonObject t = e.getValue().getAsJsonObject();
        String dtype = t.get("dtype").getAsString();
        var shapeJson = t.getAsJsonArray("shape");
        if (shapeJson.size() > 8) {
          throw bad(source, "tensor '" + e.getKey() + "' has rank " + shapeJson.size());
        }
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeJson.get(i).getAsLong();
        }
        var offsets = t.getAsJsonArray("data_offsets");
        entries.add(new Entry(e.getKey(), dtype, shape, offsets.get(0).getAsLong(), offsets.get(1).getAsLong()));
      } catch (ModelLoadException ex) {
        throw ex;
      } catch (RuntimeException ex) {
        throw bad(source, "entry '" + e.getKey() + "' is malformed: " + ex.getMessage());
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin));
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    long expectedBegin = 0;
    for (Entry e : entries) {
      int width = switch (e.dtype()) {
        case "F32" -> 4;
        case "F16", "BF16" -> 2;
        default -> throw bad(source, "tensor '" + e.name() + "' has dtype " + e.dtype() + "; hint4j reads F32, F16, BF16");
      };
      long count = 1;
      for (long d : e.shape()) {
        if (d < 0 || (d > 0 && count > dataLength / d)) {
          throw bad(source, "tensor '" + e.name() + "' claims a shape larger than the file");
        }
        count *= d;
      }
      if (e.begin() != expectedBegin || e.end() - e.begin() != count * width || e.end() > dataLength) {
        throw bad(source, "tensor '" + e.name() + "' has data_offsets [" + e.begin() + ", " + e.end()
            + ") that do not match its shape or lie outside the " + dataLength + " data bytes");
      }
      expectedBegin = e.end();
      float[] data = new float[(int) count];
      int at = (int) (dataStart + e.begin());
      for (int i = 0; i < data.length; i++) {
        data[i] = switch (e.dtype()) {
          case "F32" -> b.getFloat(at + 4 * i);
          case "F16" -> Half.toFloat(b.getShort(at + 2 * i));
          default -> Float.intBitsToFloat((b.getShort(at + 2 * i) & 0xffff) << 16); // bf16: the high half of a float
        };
      }
      tensors.put(e.name(), FloatTensor.wrap(e.shape(), data));
    }
    if (expectedBegin != dataLength) {
      throw bad(source, (dataLength - expectedBegin) + " data bytes belong to no tensor");
    }
    return new Contents(tensors, metadata);
  }

  private static ModelLoadException bad(String source, String why) {
    return new ModelLoadException("safetensors " + source + ": " + why);
  }
}
