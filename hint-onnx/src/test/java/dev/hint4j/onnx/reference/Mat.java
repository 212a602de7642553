package dev.hint4j.onnx.reference;

/**
 * Dense float64 matrix helpers for the reference model: plain loops, no tricks, so that each one
 * can be checked by eye. Matrices are {@code double[rows][cols]}; nothing is modified in place
 * unless the name says so.
 */
final class Mat {
  private Mat() {}

  /** {@code a · b} for a [n][k] and b [k][m]. */
  static double[][] matmul(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = k == 0 ? 0 : b[0].length;
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      if (a[i].length != k) {
        throw new IllegalArgumentException("matmul: row of width " + a[i].length + " times " + k + " rows");
      }
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += a[i][t] * b[t][j];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != b[i].length) {
        throw new IllegalArgumentException("add: widths " + a[i].length + " and " + b[i].length);
      }
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j] + b[i][j];
      }
    }
    return out;
  }

  /** Adds the vector {@code row} to every row of {@code a} (a bias broadcast over positions). */
  static double[][] addRow(double[][] a, double[] row) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != row.length) {
        throw new IllegalArgumentException("addRow: width " + a[i].length + " and bias of " + row.length);
      }
      out[i] = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        out[i][j] = a[i][j] + row[j];
      }
    }
    return out;
  }

  static double[][] scale(double[][] a, double factor) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j] * factor;
      }
    }
    return out;
  }

  static double[][] hadamard(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j] * b[i][j];
      }
    }
    return out;
  }

  /** The tanh form of GELU, as T5 v1.1 and Flax use it. */
  static double gelu(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  static double[][] gelu(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = gelu(a[i][j]);
      }
    }
    return out;
  }

  /** {@code x / sqrt(mean(x²) + eps) * w}, row by row (T5's RMSNorm: no mean subtraction, no bias). */
  static double[][] rmsnorm(double[][] x, double[] w, double eps) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != w.length) {
        throw new IllegalArgumentException("rmsnorm: width " + x[i].length + " and weight of " + w.length);
      }
      double sumSq = 0;
      for (double v : x[i]) {
        sumSq += v * v;
      }
      double inv = 1 / Math.sqrt(sumSq / w.length + eps);
      out[i] = new double[w.length];
      for (int j = 0; j < w.length; j++) {
        out[i][j] = x[i][j] * inv * w[j];
      }
    }
    return out;
  }

  /** Reads {@code flat} in row-major order as a [rows][cols] matrix. */
  static double[][] reshape(double[] flat, int rows, int cols) {
    if (flat.length != rows * cols) {
      throw new IllegalArgumentException("reshape: " + flat.length + " values into " + rows + "x" + cols);
    }
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }

  /** Row-major flattening, the inverse of {@link #reshape}. */
  static double[] flatten(double[][] a) {
    int n = 0;
    for (double[] row : a) {
      n += row.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] row : a) {
      System.arraycopy(row, 0, out, at, row.length);
      at += row.length;
    }
    return out;
  }

  /** Rows {@code from .. from+count-1} of {@code a} (copied). */
  static double[][] rows(double[][] a, int from, int count) {
    double[][] out = new double[count][];
    for (int i = 0; i < count; i++) {
      out[i] = a[from + i].clone();
    }
    return out;
  }

  /** Stacks the rows of all parts, in order (concatenation along the sequence axis). */
  static double[][] concatRows(double[][]... parts) {
    int n = 0;
    for (double[][] p : parts) {
      n += p.length;
    }
    double[][] out = new double[n][];
    int at = 0;
    for (double[][] p : parts) {
      for (double[] row : p) {
        out[at++] = row.clone();
      }
    }
    return out;
  }
}
