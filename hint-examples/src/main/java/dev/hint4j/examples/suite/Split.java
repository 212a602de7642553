package dev.hint4j.examples.suite;

/** Where an example comes from; every split but TRAIN is kept out of training. */
public enum Split {
  /** Training families, phrasings, framings, parameter values and inputs. */
  TRAIN,
  /** Training tasks on inputs the training split never uses (a fixed 1/8 of all strings). */
  HELD_OUT_INPUTS,
  /** Training tasks described with the held-out phrasing and framing of each family. */
  HELD_OUT_TEMPLATES,
  /** Parameterised families with parameter values never trained (e.g. letters q–z). */
  HELD_OUT_PARAMS,
  /** Chains of two families in combinations never trained. */
  HELD_OUT_COMPOSITIONS,
  /** An instruction that names no rule ("apply the rule of the examples"): only the examples tell. */
  FEW_SHOT_ONLY,
  /**
   * Training tasks on held-out inputs, each worded by an instruction someone who never saw the
   * suite wrote from examples of the rule ({@code plain-english.json}); evaluation only.
   */
  PLAIN_ENGLISH
}
