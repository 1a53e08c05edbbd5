# Shared by scripts/test, scripts/local-run and scripts/benchmark: pick a JDK >= 21 and run the
# AWS emulator (moto) and the Azure Storage emulator (Azurite) on 127.0.0.1 for as long as the
# calling script runs.

# Azurite's version, installed with npm into the project's ignored .tools/ folder.
RELAY_AZURITE_VERSION=3.37.0

relay_select_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      # Maven's own libraries still use sun.misc.Unsafe; newer JDKs warn about it on every run.
      if [ "${version%%.*}" -ge 24 ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  echo "relay-link needs a JDK >= 21 (set JAVA_HOME)" >&2
  return 1
}

# Installs a Python tool with pip only where the machine does not already have it, into a virtual
# environment of relay-link's own (system Pythons are often marked externally managed).
relay_ensure_python_tool() {
  local command=$1 package=$2 venv="${XDG_CACHE_HOME:-$HOME/.cache}/relay-link/venv"
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ ! -x "$venv/bin/$command" ]; then
    echo "installing $package with pip into $venv" >&2
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "$package" || {
      echo "cannot install $package: relay-link needs python3 with venv and pip, or $command on the PATH" >&2
      return 1
    }
  fi
  export PATH="$venv/bin:$PATH"
}

relay_require_commands() {
  local missing=()
  for command in "$@"; do
    command -v "$command" >/dev/null 2>&1 || missing+=("$command")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "relay-link needs these commands on the PATH: ${missing[*]}" >&2
    return 1
  fi
}

relay_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts moto_server on a free loopback port, waits until it answers, exports AWS_ENDPOINT_URL and
# dummy credentials, and stops it (with its children) when the calling shell exits.
relay_start_moto() {
  relay_require_commands python3 curl
  relay_ensure_python_tool moto_server 'moto[server]'
  local port log
  port=$(relay_free_port)
  log=${RELAY_MOTO_LOG:-$(mktemp -t relay-moto.XXXXXX.log)}
  moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  RELAY_MOTO_PID=$!
  trap 'relay_stop_emulators' EXIT
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; then
      export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
      export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
      export AWS_REGION=${AWS_REGION:-eu-west-1} AWS_DEFAULT_REGION=${AWS_REGION:-eu-west-1}
      echo "AWS emulator (moto) on $AWS_ENDPOINT_URL" >&2
      return 0
    fi
    if ! kill -0 "$RELAY_MOTO_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "moto_server did not start; its log:" >&2
  cat "$log" >&2
  return 1
}

relay_stop_moto() {
  if [ -n "${RELAY_MOTO_PID:-}" ]; then
    kill "$RELAY_MOTO_PID" 2>/dev/null || true
    wait "$RELAY_MOTO_PID" 2>/dev/null || true
    RELAY_MOTO_PID=
  fi
}

# Starts Azurite's Table service on a free loopback port over HTTPS (a self-signed P-256 certificate
# for 127.0.0.1 made here with openssl) with --oauth basic, so clients authenticate with a bearer
# token as against a real storage account. Installs Azurite with npm into .tools/azurite first when
# that version is not there. Exports RELAY_AZURITE_TABLE_ENDPOINT (the path-style service URL of the
# emulator account) and RELAY_AZURITE_CERT (the certificate the tests trust).
relay_start_azurite() {
  relay_require_commands node npm openssl curl
  local tools="$PWD/.tools/azurite" work port log
  if [ "$(node -p "try { require('$tools/node_modules/azurite/package.json').version } catch (e) { '' }")" != "$RELAY_AZURITE_VERSION" ]; then
    echo "installing azurite $RELAY_AZURITE_VERSION with npm into $tools" >&2
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "azurite@$RELAY_AZURITE_VERSION" >&2 || {
      echo "cannot install azurite with npm" >&2
      return 1
    }
  fi
  work=$(mktemp -d -t relay-azurite.XXXXXX)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  port=$(relay_free_port)
  log=${RELAY_AZURITE_LOG:-$work/azurite.log}
  "$tools/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$port" \
    --inMemoryPersistence --cert "$work/cert.pem" --key "$work/key.pem" --oauth basic --disableTelemetry \
    --skipApiVersionCheck --silent >"$log" 2>&1 &
  RELAY_AZURITE_PID=$!
  RELAY_AZURITE_WORK=$work
  trap 'relay_stop_emulators' EXIT
  for _ in $(seq 1 150); do
    # Any HTTP answer (401 without a token) means it listens.
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/cert.pem" "https://127.0.0.1:$port/devstoreaccount1/Tables")" != 000 ]; then
      export RELAY_AZURITE_TABLE_ENDPOINT="https://127.0.0.1:$port/devstoreaccount1"
      export RELAY_AZURITE_CERT="$work/cert.pem"
      echo "Azure Storage emulator (Azurite $RELAY_AZURITE_VERSION, Table service) on $RELAY_AZURITE_TABLE_ENDPOINT" >&2
      return 0
    fi
    if ! kill -0 "$RELAY_AZURITE_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "azurite did not start; its log:" >&2
  cat "$log" >&2
  return 1
}

relay_stop_azurite() {
  if [ -n "${RELAY_AZURITE_PID:-}" ]; then
    kill "$RELAY_AZURITE_PID" 2>/dev/null || true
    wait "$RELAY_AZURITE_PID" 2>/dev/null || true
    RELAY_AZURITE_PID=
    rm -rf "${RELAY_AZURITE_WORK:?}"
  fi
}

relay_stop_emulators() {
  relay_stop_moto
  relay_stop_azurite
}
