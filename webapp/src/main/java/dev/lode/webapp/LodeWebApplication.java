package dev.lode.webapp;

import dev.lode.app.LodeApplication;

/** {@link LodeApplication} as the container instantiates it (no-argument constructor), over the listener's runtime. */
public class LodeWebApplication extends LodeApplication {
  public LodeWebApplication() {
    super(LodeWebListener.runtime());
  }
}
