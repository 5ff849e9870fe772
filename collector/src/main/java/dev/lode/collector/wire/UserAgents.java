package dev.lode.collector.wire;

import java.util.Locale;

/** Coarse browser, OS and device class from a User-Agent, for clients that do not send them. */
final class UserAgents {
  private UserAgents() {
  }

  static void fill(EventDraft d) {
    if (d.userAgent.isEmpty()) {
      return;
    }
    String ua = d.userAgent.toLowerCase(Locale.ROOT);
    if (d.browser.isEmpty()) {
      d.browser = ua.contains("edg/") ? "Edge" : ua.contains("opr/") ? "Opera" : ua.contains("firefox/") ? "Firefox"
          : ua.contains("chrome/") || ua.contains("crios/") ? "Chrome" : ua.contains("safari/") ? "Safari"
          : ua.contains("bot") || ua.contains("spider") ? "Bot" : "Other";
    }
    if (d.os.isEmpty()) {
      d.os = ua.contains("android") ? "Android" : ua.contains("iphone") || ua.contains("ipad") ? "iOS"
          : ua.contains("windows") ? "Windows" : ua.contains("mac os") ? "macOS" : ua.contains("linux") ? "Linux"
          : "Other";
    }
    if (d.deviceType.isEmpty()) {
      d.deviceType = ua.contains("ipad") || ua.contains("tablet") ? "tablet"
          : ua.contains("mobi") || ua.contains("iphone") || ua.contains("android") ? "mobile"
          : ua.contains("bot") ? "bot" : "desktop";
    }
  }
}
