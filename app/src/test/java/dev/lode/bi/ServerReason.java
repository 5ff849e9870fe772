package dev.lode.bi;

/**
 * What the server said went wrong in a failed statement, on one line, without the driver's echo
 * of the statement's text (which for a BI tool's multi-line SQL buries it).
 */
final class ServerReason {
  private ServerReason() {
  }

  static String of(Exception e) {
    String s = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    int remote = s.indexOf("Remote driver error: ");
    if (remote >= 0) {
      return s.substring(remote + "Remote driver error: ".length());
    }
    int echo = s.lastIndexOf("\": ");
    return echo < 0 ? s : s.substring(echo + 3);
  }
}
