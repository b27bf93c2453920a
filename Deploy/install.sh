#!/usr/bin/env bash
# Installs crisisd as a systemd service: the binaries, the unit, the system user (sysusers), the
# config folder (tmpfiles), the journal catalog, the man pages, the runbooks and, only when there
# is none yet, the config. Run it as root from a source tree; run it again to upgrade.
#
#   Deploy/install.sh                       # builds .build/release if needed, installs under /
#   Deploy/install.sh --binaries DIR        # installs crisisd and crisisctl from DIR instead
#   DESTDIR=/tmp/root Deploy/install.sh     # (or --root DIR) installs into another root
#
# It never enables, starts or restarts crisisd: the config needs editing first. Deploy/uninstall.sh undoes it.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: Deploy/install.sh [--root DIR] [--prefix DIR] [--binaries DIR]

  --root DIR      install into DIR as if it were / (also DESTDIR=DIR); systemctl is not called
  --prefix DIR    where binaries, man pages and runbooks go (default /usr/local)
  --binaries DIR  take crisisd and crisisctl from DIR (default .build/release, built if missing)
EOF
}

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${DESTDIR:-}
prefix=/usr/local
binaries=
while [ $# -gt 0 ]; do
    case $1 in
    --root | --prefix | --binaries)
        [ $# -ge 2 ] || {
            echo "install.sh: $1 needs a value" >&2
            exit 64
        }
        case $1 in
        --root) root=$2 ;;
        --prefix) prefix=$2 ;;
        --binaries) binaries=$2 ;;
        esac
        shift 2
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        echo "install.sh: unknown argument $1" >&2
        usage >&2
        exit 64
        ;;
    esac
done
# An empty root is the running system; systemd's tools want an absolute one otherwise.
if [ -n "$root" ]; then
    root=$(realpath -m "$root")
    [ "$root" != / ] || root=
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run it as root (sudo Deploy/install.sh)" >&2
    exit 77
fi

bindir=$prefix/bin
mandir=$prefix/share/man
docdir=$prefix/share/doc/crisisd
say() { echo "install.sh: $*"; }

# 1. The binaries.
if [ -z "$binaries" ]; then
    binaries=$source_dir/.build/release
    if [ ! -x "$binaries/crisisd" ] || [ ! -x "$binaries/crisisctl" ]; then
        command -v swift >/dev/null || {
            echo "install.sh: no build in $binaries and no swift on PATH: run 'make release' first, or pass --binaries DIR" >&2
            exit 69
        }
        say "building the release binaries (swift build -c release, a few minutes)"
        (cd "$source_dir" && swift build -c release)
    fi
fi
for binary in crisisd crisisctl; do
    [ -x "$binaries/$binary" ] || {
        echo "install.sh: $binaries/$binary is missing" >&2
        exit 66
    }
done
install -d -m 0755 "$root$bindir"
install -m 0755 "$binaries/crisisd" "$binaries/crisisctl" "$root$bindir/"
say "installed crisisd and crisisctl in $root$bindir"

# 2. The system user and group crisisd (systemd-sysusers never changes an existing one).
install -D -m 0644 "$source_dir/Deploy/crisisd.sysusers.conf" "$root/etc/sysusers.d/crisisd.conf"
if [ -n "$root" ]; then
    systemd-sysusers --root="$root" "$root/etc/sysusers.d/crisisd.conf"
else
    systemd-sysusers /etc/sysusers.d/crisisd.conf
fi
group_id=$(awk -F: '$1 == "crisisd" { print $3 }' "$root/etc/group")
[ -n "$group_id" ] || {
    echo "install.sh: systemd-sysusers made no group crisisd in $root/etc/group" >&2
    exit 70
}
say "system user and group crisisd (gid $group_id)"

# 3. /etc/crisisd, 0750 root:crisisd: the config holds webhook secrets.
install -D -m 0644 "$source_dir/Deploy/crisisd.tmpfiles.conf" "$root/etc/tmpfiles.d/crisisd.conf"
if [ -n "$root" ]; then
    systemd-tmpfiles --root="$root" --create "$root/etc/tmpfiles.d/crisisd.conf"
else
    systemd-tmpfiles --create /etc/tmpfiles.d/crisisd.conf
fi

# 4. The unit, pointed at this prefix (it names /usr/local).
unit=$root/etc/systemd/system/crisisd.service
install -d -m 0755 "$root/etc/systemd/system"
sed -e "s|/usr/local/|${prefix%/}/|g" "$source_dir/Deploy/crisisd.service" >"$unit.new"
chmod 0644 "$unit.new"
mv -f "$unit.new" "$unit"
say "installed the unit $unit"

# 5. The journal's message catalog, so `journalctl -x` explains crisisd's events.
if [ -f "$source_dir/Deploy/crisisd.catalog" ]; then
    install -D -m 0644 "$source_dir/Deploy/crisisd.catalog" "$root/usr/local/lib/systemd/catalog/crisisd.catalog"
    if [ -n "$root" ]; then
        journalctl --root="$root" --update-catalog
    else
        journalctl --update-catalog
    fi
    say "installed the journal catalog (journalctl -x explains crisisd's messages)"
fi

# 6. The man pages crisisd(8) and crisisctl(1), and the runbooks the unit's Documentation= names.
install -D -m 0644 "$source_dir/Deploy/man/crisisd.8" "$root$mandir/man8/crisisd.8"
install -D -m 0644 "$source_dir/Deploy/man/crisisctl.1" "$root$mandir/man1/crisisctl.1"
if [ -z "$root" ] && command -v mandb >/dev/null; then
    mandb -q || say "mandb failed; 'man crisisd' may need 'mandb' later"
fi
install -d -m 0755 "$root$docdir"
rm -rf "$root$docdir/Runbooks"
cp -R "$source_dir/Runbooks" "$root$docdir/Runbooks"
find "$root$docdir/Runbooks" -type d -exec chmod 0755 {} +
find "$root$docdir/Runbooks" -type f -exec chmod 0644 {} +
install -m 0644 "$source_dir/Deploy/crisisd.example.toml" "$root$docdir/crisisd.example.toml"
install -m 0644 "$source_dir/README.md" "$root$docdir/README.md"
say "installed man pages in $root$mandir and runbooks in $root$docdir/Runbooks"

# 7. The config, only when there is none: an existing one is the operator's and stays as it is.
config=$root/etc/crisisd/crisisd.toml
if [ -e "$config" ]; then
    say "kept the existing $config (the new example is $root$docdir/crisisd.example.toml)"
    new_config=no
else
    # The example keeps its state in ./.state for `make run`; under the unit the defaults
    # (/var/lib/crisisd and /run/crisisd/control.sock) are the folders systemd makes.
    sed -e 's|^state_dir = ".state"$|# state_dir = "/var/lib/crisisd"|' \
        -e 's|^socket = ".state/control.sock"$|# socket = "/run/crisisd/control.sock"|' \
        "$source_dir/Deploy/crisisd.example.toml" >"$config.new"
    chown "0:$group_id" "$config.new"
    chmod 0640 "$config.new"
    mv "$config.new" "$config"
    say "installed the example config as $config: edit it (people, rota, channels, tokens) before starting"
    new_config=yes
fi

# 8. Tell systemd, when it runs this machine, and say what is left to do.
if [ -n "$root" ]; then
    say "installed under $root: systemctl not called"
elif [ ! -d /run/systemd/system ]; then
    say "systemd is not running here (not PID 1): skipped systemctl daemon-reload"
else
    systemctl daemon-reload
    if [ "$new_config" = no ] && systemctl is-active --quiet crisisd.service; then
        say "crisisd still runs the binaries it started with: 'systemctl restart crisisd' to switch"
    fi
fi
if [ "$new_config" = yes ]; then
    say "next: edit $config, run 'crisisctl check-config', then 'systemctl enable --now crisisd'"
fi
