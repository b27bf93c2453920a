#!/usr/bin/env bash
# Undoes Deploy/install.sh: stops and disables crisisd, then removes the binaries, the unit, the
# sysusers and tmpfiles entries, the journal catalog, the man pages and the runbooks.
#
# It keeps what is yours: the state folder /var/lib/crisisd (the journal of every crisis, which
# the contract may oblige you to keep), the config /etc/crisisd, and the user and group crisisd,
# which own the state. Delete those by hand once you are sure. Running it twice does no harm.
#
#   Deploy/uninstall.sh [--root DIR] [--prefix DIR]      (or DESTDIR=DIR), as for install.sh
set -euo pipefail

root=${DESTDIR:-}
prefix=/usr/local
while [ $# -gt 0 ]; do
    case $1 in
    --root | --prefix)
        [ $# -ge 2 ] || {
            echo "uninstall.sh: $1 needs a value" >&2
            exit 64
        }
        if [ "$1" = --root ]; then root=$2; else prefix=$2; fi
        shift 2
        ;;
    -h | --help)
        echo "Usage: Deploy/uninstall.sh [--root DIR] [--prefix DIR]"
        exit 0
        ;;
    *)
        echo "uninstall.sh: unknown argument $1" >&2
        exit 64
        ;;
    esac
done
if [ -n "$root" ]; then
    root=$(realpath -m "$root")
    [ "$root" != / ] || root=
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "uninstall.sh: run it as root (sudo Deploy/uninstall.sh)" >&2
    exit 77
fi
say() { echo "uninstall.sh: $*"; }

unit=$root/etc/systemd/system/crisisd.service
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    if [ -e "$unit" ]; then
        systemctl disable --now crisisd.service
        say "stopped and disabled crisisd"
    fi
elif [ -z "$root" ]; then
    say "systemd is not running here (not PID 1): skipped systemctl disable --now and daemon-reload"
fi

rm -f "$unit"
rm -f "$root$prefix/bin/crisisd" "$root$prefix/bin/crisisctl"
rm -f "$root/etc/sysusers.d/crisisd.conf" "$root/etc/tmpfiles.d/crisisd.conf"
rm -f "$root$prefix/share/man/man8/crisisd.8" "$root$prefix/share/man/man1/crisisctl.1"
rm -rf "$root$prefix/share/doc/crisisd"
catalog=$root/usr/local/lib/systemd/catalog/crisisd.catalog
if [ -e "$catalog" ]; then
    rm -f "$catalog"
    if [ -n "$root" ]; then
        journalctl --root="$root" --update-catalog
    else
        journalctl --update-catalog
    fi
fi
if [ -z "$root" ]; then
    if command -v mandb >/dev/null; then mandb -q || true; fi
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
fi
say "removed crisisd's binaries, unit, sysusers and tmpfiles entries, catalog, man pages and runbooks"
say "kept the state $root/var/lib/crisisd, the config $root/etc/crisisd and the user crisisd: remove them by hand when you are sure"
