package dev.hint4j.onnx.graph;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Serializes a {@link Graph} as an ONNX ModelProto (IR version 10, default-domain opset 21, and
 * com.microsoft opset 1 when a node uses ONNX Runtime's contrib operators).
 * Float initializers can be stored as external data in an {@link ExternalData} file shared by
 * several graphs, so one weight is written once however many graphs use it.
 */
public final class OnnxModelWriter {
  public static final long IR_VERSION = 10;
  public static final long OPSET = 21;
  /** ONNX Runtime's contrib operator set (MatMulNBits), imported only by graphs that use it. */
  public static final long MICROSOFT_OPSET = 1;

  private OnnxModelWriter() {}

  /** The model with every initializer embedded. */
  public static OnnxMl.ModelProto toModel(Graph graph, Map<String, String> metadata) {
    return toModel(graph, metadata, null);
  }

  /**
   * The model; float initializers of at least {@code external.thresholdBytes()} go to the
   * external data file (null = embed everything).
   */
  public static OnnxMl.ModelProto toModel(Graph graph, Map<String, String> metadata, ExternalData external) {
    OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName(graph.name());
    for (Value in : graph.inputs()) {
      gb.addInput(valueInfo(in.name(), in));
    }
    for (Map.Entry<String, Value> out : graph.outputs().entrySet()) {
      gb.addOutput(valueInfo(out.getKey(), out.getValue()));
    }
    for (Graph.Initializer init : graph.initializers().values()) {
      gb.addInitializer(tensor(init, external));
    }
    for (Node n : graph.nodes()) {
      gb.addNode(node(n));
    }
    OnnxMl.ModelProto.Builder mb = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("hint4j")
        .setProducerVersion("0.1")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(gb);
    if (graph.nodes().stream().anyMatch(n -> n.domain().equals(Node.MICROSOFT))) {
      mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(Node.MICROSOFT).setVersion(MICROSOFT_OPSET));
    }
    metadata.forEach((k, v) -> mb.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return mb.build();
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, Value v) {
    OnnxMl.TypeProto.Tensor.Builder tt = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(v.type().onnxCode);
    if (v.shape().isRanked()) {
      OnnxMl.TensorShapeProto.Builder sb = OnnxMl.TensorShapeProto.newBuilder();
      for (Dim d : v.shape().dims()) {
        OnnxMl.TensorShapeProto.Dimension.Builder db = OnnxMl.TensorShapeProto.Dimension.newBuilder();
        if (d.isKnown()) {
          db.setDimValue(d.size());
        } else if (d.isSymbol()) {
          db.setDimParam(d.symbol());
        }
        sb.addDim(db);
      }
      tt.setShape(sb);
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tt)).build();
  }

  private static OnnxMl.TensorProto tensor(Graph.Initializer init, ExternalData external) {
    OnnxMl.TensorProto.Builder tb = OnnxMl.TensorProto.newBuilder().setName(init.value().name())
        .setDataType(init.value().type().onnxCode);
    if (init.floats() != null) {
      FloatTensor t = init.floats();
      for (long d : t.shape()) {
        tb.addDims(d);
      }
      if (external != null && t.byteSize() >= external.thresholdBytes()) {
        ExternalData.Location loc = external.place(init.value().name(), t);
        tb.setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL);
        tb.addExternalData(entry("location", external.fileName()));
        tb.addExternalData(entry("offset", Long.toString(loc.offset())));
        tb.addExternalData(entry("length", Long.toString(loc.length())));
      } else {
        ByteBuffer bb = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(t.buffer());
        tb.setRawData(ByteString.copyFrom(bb.array()));
      }
    } else if (init.bytes() != null) {
      byte[] bytes = init.bytes();
      for (Dim d : init.value().shape().dims()) {
        tb.addDims(d.size());
      }
      if (external != null && bytes.length >= external.thresholdBytes()) {
        ExternalData.Location loc = external.place(init.value().name(), bytes);
        tb.setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL);
        tb.addExternalData(entry("location", external.fileName()));
        tb.addExternalData(entry("offset", Long.toString(loc.offset())));
        tb.addExternalData(entry("length", Long.toString(loc.length())));
      } else {
        tb.setRawData(ByteString.copyFrom(bytes));
      }
    } else if (init.doubles() != null) {
      double[] ds = init.doubles();
      for (Dim d : init.value().shape().dims()) {
        tb.addDims(d.size());
      }
      ByteBuffer bb = ByteBuffer.allocate(ds.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      bb.asDoubleBuffer().put(ds);
      tb.setRawData(ByteString.copyFrom(bb.array()));
    } else {
      long[] longs = init.longs();
      for (Dim d : init.value().shape().dims()) {
        tb.addDims(d.size());
      }
      ByteBuffer bb = ByteBuffer.allocate(longs.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      bb.asLongBuffer().put(longs);
      tb.setRawData(ByteString.copyFrom(bb.array()));
    }
    return tb.build();
  }

  private static OnnxMl.StringStringEntryProto entry(String k, String v) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  private static OnnxMl.NodeProto node(Node n) {
    OnnxMl.NodeProto.Builder nb = OnnxMl.NodeProto.newBuilder().setName(n.name()).setOpType(n.opType());
    if (!n.domain().isEmpty()) {
      nb.setDomain(n.domain());
    }
    for (Value in : n.inputs()) {
      nb.addInput(in == null ? "" : in.name());
    }
    for (Value out : n.outputs()) {
      nb.addOutput(out.name());
    }
    for (Map.Entry<String, Object> a : n.attributes().entrySet()) {
      nb.addAttribute(attribute(a.getKey(), a.getValue()));
    }
    return nb.build();
  }

  private static OnnxMl.AttributeProto attribute(String name, Object v) {
    OnnxMl.AttributeProto.Builder ab = OnnxMl.AttributeProto.newBuilder().setName(name);
    if (v instanceof Long l) {
      ab.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
    } else if (v instanceof Double d) {
      ab.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
    } else if (v instanceof String s) {
      ab.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (v instanceof long[] ls) {
      ab.setType(OnnxMl.AttributeProto.AttributeType.INTS);
      for (long l : ls) {
        ab.addInts(l);
      }
    } else if (v instanceof float[] fs) {
      ab.setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
      for (float f : fs) {
        ab.addFloats(f);
      }
    } else {
      throw new GraphBuildException("attribute " + name + " has unsupported type " + v.getClass());
    }
    return ab.build();
  }
}
