package dev.hint4j.onnx.graph;

import dev.hint4j.HintException;

/** A graph was built wrongly: a shape or type mismatch found at build time, before ONNX Runtime sees it. */
public class GraphBuildException extends HintException {
  private static final long serialVersionUID = 1L;

  public GraphBuildException(String message) {
    super(message);
  }
}
