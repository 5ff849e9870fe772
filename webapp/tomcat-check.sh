#!/usr/bin/env bash
# Deploys webapp/target/lode.war into Debian's tomcat10 (Tomcat 10.1, Jakarta EE 10) under a
# private CATALINA_BASE on JDK 25, waits for it, checks that /status tells anonymous
# callers only the version, runs queries through the Avatica JDBC driver, then tracks one user through the
# collector and waits until every scheduler of the WAR has worked on that user: identity
# resolution, the profile and tag refresh, the recommendation model and serving lists (the
# intervals are made short with -Dlode.* options; the demo data stays off), and signs in to the web
# console (health page, one playground query). Then it stops
# Tomcat and removes the base. Installs Debian's tomcat10 if it is missing.
# Needs: the WAR and app/target/lib (./mvnw verify, or ./mvnw -DskipTests package).
set -euo pipefail
LODE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$LODE_HOME/bin/lode-java"
TOMCAT=/usr/share/tomcat10
war="$LODE_HOME/webapp/target/lode.war"
if [ ! -d "$TOMCAT" ]; then
  sudo_cmd=""
  [ "$(id -u)" != "0" ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -q >&2
  $sudo_cmd apt-get install -y -q --no-install-recommends tomcat10 >&2
  # the check runs its own Tomcat under a private base: the system service is not needed
  $sudo_cmd systemctl disable --now tomcat10 >/dev/null 2>&1 || true
fi
[ -f "$war" ] || { echo "missing $war: build with ./mvnw -B -q -DskipTests package" >&2; exit 2; }
[ -d "$LODE_HOME/app/target/lib" ] || { echo "missing app/target/lib: build with ./mvnw -B -q -DskipTests package" >&2; exit 2; }
base="$(mktemp -d -t lode-tomcat-XXXXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$base"/{conf,logs,webapps,work,temp,data}
cp -r /etc/tomcat10/. "$base/conf/"
sed -i -e "s/port=\"8080\"/port=\"$port\" address=\"127.0.0.1\"/" -e 's/port="8005"/port="-1"/' "$base/conf/server.xml"
cp "$war" "$base/webapps/lode.war"
export JAVA_HOME="$LODE_JAVA_HOME" CATALINA_HOME="$TOMCAT" CATALINA_BASE="$base" CATALINA_PID="$base/tomcat.pid"
# every schedule short, so the check sees each one run within a few minutes; no demo data. A tag
# is recomputed only once its own refresh interval has passed (a day for lifecycle_stage, which
# every person with a profile gets): a copy under lode.tags.dir (a local file overrides the
# built-in definition) refreshes it every minute, so a user who arrives after the first cycle
# is tagged in the next minute rather than the next day
mkdir -p "$base/tags"
sed 's/^-- refresh: .*/-- refresh: 1m/' "$LODE_HOME/sql/tags/lifecycle_stage.sql" > "$base/tags/lifecycle_stage.sql"
schedules="-Dlode.identity.interval-seconds=2 -Dlode.tags.refresh-interval-seconds=5 -Dlode.tags.dir=$base/tags"
schedules="$schedules -Dlode.recommend.refresh-minutes=1 -Dlode.recommend.serving.interval-ms=1000"
export CATALINA_OPTS="--enable-native-access=ALL-UNNAMED -Xmx2g -Dlode.data.dir=$base/data -Dlode.demo.enabled=false $schedules"
cleanup() {
  "$TOMCAT/bin/catalina.sh" stop 20 -force >/dev/null 2>&1 || true
  rm -rf "$base"
}
trap cleanup EXIT
"$TOMCAT/bin/catalina.sh" start >/dev/null
url="http://127.0.0.1:$port/lode"
for _ in $(seq 1 180); do
  code=$(curl -s -o "$base/anonymous-status.json" -w '%{http_code}' "$url/status" || true)
  [ "$code" = "200" ] && break
  sleep 1
done
[ "$code" = "200" ] || { echo "Tomcat did not serve $url/status (last HTTP $code)"; tail -30 "$base"/logs/catalina*.log; grep -A30 SEVERE "$base"/logs/localhost*.log | head -60; exit 1; }
# anonymous callers (Metabase's druid-jdbc reads the version there) learn Lode's version and nothing else
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d)==["version"], d' "$base/anonymous-status.json" \
  || { echo "anonymous /status answered more than the version: $(cat "$base/anonymous-status.json")"; exit 1; }
echo "tomcat10 on JDK 25 serves $url (anonymous /status: HTTP $code, $(cat "$base/anonymous-status.json"))"
pw=$(grep '^user.admin.password=' "$base/data/credentials.properties" | cut -d= -f2)
curl -sf -u "admin:$pw" "$url/status"; echo
# one tracked user (identified with an email) who views a product, and two buyers whose
# purchases give the model a popularity list to fall back on for a person with no history
key=$(grep '^writekey\.' "$base/data/credentials.properties" | head -1 | cut -d= -f1 | cut -d. -f2)
curl -sf -u "$key:" "$url/v1/batch" -H 'Content-Type: application/json' -d '{
  "batch": [
    {"type": "identify", "messageId": "tc-1", "userId": "tc-alice", "traits": {"email": "alice@example.com"}},
    {"type": "track", "messageId": "tc-2", "userId": "tc-alice", "event": "product_view",
     "properties": {"product_id": "sku-1", "category": "shoes", "price": 40}},
    {"type": "track", "messageId": "tc-3", "userId": "tc-bob", "event": "purchase",
     "properties": {"product_id": "sku-2", "category": "shoes", "price": 55, "quantity": 1}},
    {"type": "track", "messageId": "tc-4", "userId": "tc-carol", "event": "purchase",
     "properties": {"product_id": "sku-3", "category": "bags", "price": 70, "quantity": 1}}
  ]}'; echo
# the web console under the WAR's context path: / sends browsers there; an admin signs in
# (form token + cookie), the health page renders with the engine version ClickHouse reports, and a
# playground query runs as that admin
root=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$url/")
case "$root" in "303 $url/console/"*) ;; *) echo "GET $url/ did not send browsers to the console: $root"; exit 1;; esac
jar="$base/console-cookies"
token=$(curl -sf -c "$jar" "$url/console/login" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p')
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "user=admin" \
  --data-urlencode "password=$pw" --data-urlencode "token=$token" "$url/console/login")
[ "$code" = "303" ] || { echo "console sign-in answered HTTP $code"; exit 1; }
curl -sf -b "$jar" "$url/console/health" -o "$base/console-health.html" || { echo "console health page failed"; exit 1; }
avatica() { "$LODE_JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$LODE_HOME/app/target/lib/*" "$LODE_HOME/webapp/tomcat-check/AvaticaQuery.java" "$url/avatica" admin "$pw" "$@"; }
# the health page's engine version is the one ClickHouse reports (version() is pushed down to it)
engine=$(avatica value "SELECT version()")
shown=$(sed -n 's/.*id="engine">ClickHouse \([^<]*\)<.*/\1/p' "$base/console-health.html")
[ -n "$engine" ] && [ "$shown" = "$engine" ] || { echo "console health page shows engine '$shown', ClickHouse reports '$engine'"; exit 1; }
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$base/console-health.html" | head -1)
curl -sf -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "sql=SELECT 6 * 7 AS answer" "$url/console/sql" \
  | grep -q '<td>42</td>' || { echo "console SQL playground did not answer 42"; exit 1; }
echo "OK: the console in the WAR signs in, renders the health page and runs a query as the user"
# queries through the Avatica JDBC driver
"$LODE_JAVA_HOME/bin/java" -cp "$LODE_HOME/app/target/lib/*" "$LODE_HOME/webapp/tomcat-check/AvaticaQuery.java" \
  "$url/avatica" admin "$pw"
echo "OK: lode.war deployed in tomcat10 answered Avatica JDBC queries"
echo "waiting for the WAR's schedulers to work on tc-alice:"
"$LODE_JAVA_HOME/bin/java" -cp "$LODE_HOME/app/target/lib/*" "$LODE_HOME/webapp/tomcat-check/AvaticaQuery.java" \
  "$url/avatica" admin "$pw" await tc-alice 300 || {
  curl -s -u "admin:$pw" "$url/status"; echo
  grep -hiE 'WARN|ERROR|SEVERE|failed' "$base"/logs/catalina*.log "$base"/logs/catalina.out "$base"/logs/localhost*.log 2>/dev/null | tail -40 || true
  exit 1
}
curl -sf -u "admin:$pw" "$url/status" | python3 -c '
import json, sys
for j in json.load(sys.stdin)["jobs"]:
    print("  job %-24s runs %-4d failures %-3d last: %s" % (j["name"], j["runs"], j["failures"], j["lastOutcome"]))'
# a tag that cannot be computed over four events (it is retried every cycle) says why here
grep -h "WARN dev.lode.tags" "$base"/logs/catalina.out | sort -u | head -3 || true
echo "OK: lode.war in tomcat10 resolved identities, refreshed profiles and tags, and served a recommendation list"
# the console's People page finds the tracked user by user id and lists the same first recommendation as SQL
person=$(avatica value "SELECT MAX(person_id) FROM identities WHERE id_type = 'user_id' AND id_value = 'tc-alice'")
first=$(avatica value "SELECT item_id FROM TABLE(recommend('$person', 10)) ORDER BY item_rank LIMIT 1")
curl -sf -b "$jar" "$url/console/people?q=tc-alice" -o "$base/console-people.html" || { echo "console people page failed"; exit 1; }
grep -q "<h2 id=\"person\">$person</h2>" "$base/console-people.html" || { echo "console people page did not find $person"; exit 1; }
grep -q "<td class=\"n\">1</td><td>$first</td>" "$base/console-people.html" \
  || { echo "console people page's first recommendation is not $first"; grep -o '<table id="recommendations">.*' "$base/console-people.html" | head -c 600; exit 1; }
echo "OK: the console in the WAR shows ClickHouse $engine on its health page and $person with recommendation $first"
