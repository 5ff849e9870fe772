#!/usr/bin/env bash
# Deploys webapp/target/lode.war into Debian's tomcat10 (Tomcat 10.1, Jakarta EE 10) under a
# private CATALINA_BASE on JDK 25, waits for it, checks that /status refuses anonymous
# callers, runs queries through the Avatica JDBC driver, then stops Tomcat and removes the base.
# Needs: apt-get install tomcat10; the WAR and app/target/lib (./mvnw -DskipTests install or bin/lode).
set -euo pipefail
LODE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$LODE_HOME/bin/lode-java"
TOMCAT=/usr/share/tomcat10
war="$LODE_HOME/webapp/target/lode.war"
[ -d "$TOMCAT" ] || { echo "tomcat10 is not installed (apt-get install tomcat10)" >&2; exit 2; }
[ -f "$war" ] || { echo "missing $war: build with ./mvnw -B -q -DskipTests install" >&2; exit 2; }
base="$(mktemp -d -t lode-tomcat-XXXXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$base"/{conf,logs,webapps,work,temp,data}
cp -r /etc/tomcat10/. "$base/conf/"
sed -i -e "s/port=\"8080\"/port=\"$port\" address=\"127.0.0.1\"/" -e 's/port="8005"/port="-1"/' "$base/conf/server.xml"
cp "$war" "$base/webapps/lode.war"
export JAVA_HOME="$LODE_JAVA_HOME" CATALINA_HOME="$TOMCAT" CATALINA_BASE="$base" CATALINA_PID="$base/tomcat.pid"
export CATALINA_OPTS="--enable-native-access=ALL-UNNAMED -Xmx2g -Dlode.data.dir=$base/data"
cleanup() {
  "$TOMCAT/bin/catalina.sh" stop 20 -force >/dev/null 2>&1 || true
  rm -rf "$base"
}
trap cleanup EXIT
"$TOMCAT/bin/catalina.sh" start >/dev/null
url="http://127.0.0.1:$port/lode"
for _ in $(seq 1 180); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url/status" || true)
  [ "$code" = "401" ] && break
  sleep 1
done
[ "$code" = "401" ] || { echo "Tomcat did not serve $url/status (last HTTP $code)"; tail -30 "$base"/logs/catalina*.log; grep -A30 SEVERE "$base"/logs/localhost*.log | head -60; exit 1; }
echo "tomcat10 on JDK 25 serves $url (anonymous /status: HTTP $code)"
pw=$(grep '^user.admin.password=' "$base/data/credentials.properties" | cut -d= -f2)
curl -sf -u "admin:$pw" "$url/status"; echo
# a few events, through the collector-independent path: an admin INSERT is not needed, the query runs on an empty table too
"$LODE_JAVA_HOME/bin/java" -cp "$LODE_HOME/app/target/lib/*" "$LODE_HOME/webapp/tomcat-check/AvaticaQuery.java" \
  "$url/avatica" admin "$pw"
echo "OK: lode.war deployed in tomcat10 answered Avatica JDBC queries"
