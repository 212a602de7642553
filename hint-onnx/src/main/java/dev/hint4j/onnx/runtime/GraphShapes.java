package dev.hint4j.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.hint4j.HintConfig;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ModelManifest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The manifest's sizes against the graphs' own: the decoding loops index logits by the manifest's
 * vocabSize and module tensors are sized from its dims, so a manifest that disagrees with its
 * graphs must fail at load, not as an out-of-bounds read on the first answer. Only static graph
 * dimensions are compared (symbolic ones, such as batch and length, are -1 here).
 */
final class GraphShapes {
  private GraphShapes() {}

  static void check(ModelManifest manifest, OrtSession hypernetwork, OrtSession encoder, OrtSession decoder) {
    HintConfig c = manifest.config();
    lastDim("decoder", decoder, "logits", c.vocabSize(), "vocabSize");
    lastDim("encoder", encoder, "encoder_states", c.dModel(), "dModel");
    Map<String, NodeInfo> produced = outputs("hypernetwork", hypernetwork);
    for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
      NodeInfo info = produced.get(spec.name());
      if (info == null || !(info.getInfo() instanceof TensorInfo t)) {
        continue; // missing outputs are the signature check's to report
      }
      long[] shape = t.getShape();
      List<Object> dims = spec.dims();
      if (shape.length != dims.size()) {
        throw new ModelLoadException(ModelManifest.FILE_NAME + " module tensor '" + spec.name() + "' has " + dims.size()
            + " dims " + dims + " but the hypernetwork graph outputs rank " + shape.length + " " + Arrays.toString(shape));
      }
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] >= 0 && dims.get(i) instanceof Number n && n.longValue() != shape[i]) {
          throw new ModelLoadException(ModelManifest.FILE_NAME + " module tensor '" + spec.name() + "' has dims " + dims
              + " but the hypernetwork graph outputs " + Arrays.toString(shape) + " (axis " + i + ")");
        }
      }
    }
  }

  private static void lastDim(String graph, OrtSession session, String output, int expected, String field) {
    NodeInfo info = outputs(graph, session).get(output);
    if (info == null || !(info.getInfo() instanceof TensorInfo t) || t.getShape().length == 0) {
      return; // absent outputs are reported by the signature check
    }
    long[] shape = t.getShape();
    long last = shape[shape.length - 1];
    if (last >= 0 && last != expected) {
      throw new ModelLoadException(ModelManifest.FILE_NAME + " says " + field + " = " + expected + " but the " + graph
          + " graph's " + output + " has last dimension " + last + "; the manifest and graphs are from different models");
    }
  }

  private static Map<String, NodeInfo> outputs(String graph, OrtSession session) {
    try {
      return session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelLoadException("cannot read the " + graph + " graph's outputs: " + e.getMessage(), e);
    }
  }
}
