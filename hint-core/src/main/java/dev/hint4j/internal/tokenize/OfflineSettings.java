package dev.hint4j.internal.tokenize;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps DJL off the network: set once, before its first use, unless the user chose otherwise. */
final class OfflineSettings {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineSettings.class);
  private static boolean applied;

  private OfflineSettings() {}

  static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    setUnlessChosen("OPT_OUT_TRACKING", "true");
    setUnlessChosen("RUST_FLAVOR", "cpu");
  }

  private static void setUnlessChosen(String key, String value) {
    if (System.getenv(key) == null && System.getProperty(key) == null) {
      System.setProperty(key, value);
      LOG.info("set system property {}={} so DJL tokenizers stay offline (set it yourself to override)", key, value);
    }
  }
}
