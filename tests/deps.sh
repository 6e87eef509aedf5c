#!/bin/sh
# Installs the Debian packages named as arguments that are missing, when run
# as root; otherwise prints the exact apt-get line and fails.  Also makes
# sure a French UTF-8 locale exists for the interface tests.
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "carnet: installing missing packages:$missing"
        apt-get update -qq || exit 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing || exit 1
    else
        echo "carnet: missing build dependencies. Run:"
        echo "    sudo apt-get install$missing"
        exit 1
    fi
fi
case " $* " in
*" locales "*)
    if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
        if [ "$(id -u)" = 0 ] && command -v localedef >/dev/null; then
            localedef -i fr_FR -f UTF-8 fr_FR.UTF-8 || echo "carnet: could not generate fr_FR.UTF-8; French tests will use LANGUAGE=fr"
        else
            echo "carnet: no fr_FR.UTF-8 locale; French tests will use LANGUAGE=fr"
        fi
    fi
    ;;
esac
exit 0
