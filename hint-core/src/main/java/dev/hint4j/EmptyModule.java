package dev.hint4j;

import dev.hint4j.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The module of the instruction-concatenation baseline: zero adapters, masked prefixes and one
 * masked instruction position, which leave the plain encoder-decoder.
 */
final class EmptyModule {
  /** 2^26 floats (256 MiB): far above any real module tensor (T5-XL-sized adapters are ~2^21). */
  static final long MAX_MODULE_TENSOR_ELEMENTS = 1L << 26;

  private EmptyModule() {}

  /** Zeros in every module tensor of the manifest, {@code module_batch} and {@code instruction_length} 1. */
  static Map<String, FloatTensor> tensors(ModelManifest manifest) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
      long[] shape = new long[spec.dims().size()];
      for (int i = 0; i < shape.length; i++) {
        Object d = spec.dims().get(i);
        shape[i] = d instanceof Number n ? n.longValue() : 1; // module_batch and instruction_length → 1
      }
      long elements = 1;
      for (long dim : shape) {
        elements *= dim;
        if (elements > MAX_MODULE_TENSOR_ELEMENTS) { // checked per factor: each dim is at most Integer.MAX_VALUE, so no overflow
          throw new ModelLoadException(ModelManifest.FILE_NAME + " module tensor '" + spec.name() + "' has "
              + spec.dims() + ": more than " + MAX_MODULE_TENSOR_ELEMENTS + " elements, not a model this library can hold");
        }
      }
      out.put(spec.name(), FloatTensor.zeros(shape));
    }
    return out;
  }
}
