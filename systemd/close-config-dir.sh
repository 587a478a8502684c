#!/usr/bin/env bash
# Takes others' access away from what is in the config directory: install.sh runs it (with
# bash) right after making /etc/keywarden 0751, test/systemd/close-config-dir.test.ts on
# temporary trees.
#
#   systemd/close-config-dir.sh <directory>
#
# The directory is 0751 so that the web console's user may reach web.json by name (that file's
# group lets it read it). Up to 0750 the directory alone kept others out, so a config.json an
# admin once replaced with a 0644 copy, or a 0644 TLS key beside it, was still safe; under 0751
# anyone could read it by its known name. Nothing there is meant for others (a file someone
# else reads is theirs by group), so files lose every "other" bit; directories lose others'
# listing and writing but keep passage (o+x), as the top one has, so the console still reaches
# its own certificate in tls/ by name. What changed is listed on stderr. Links are left alone
# (their own mode means nothing). Exit 0; 2 on bad usage.
set -euo pipefail

[ $# -eq 1 ] && [ -d "$1" ] || {
  echo "usage: close-config-dir.sh <directory>" >&2
  exit 2
}
while IFS= read -r -d '' path; do
  chmod o-rwx -- "$path"
  echo "close-config-dir.sh: $path was open to every local user; now it is not (o-rwx)" >&2
done < <(find "$1" -mindepth 1 ! -type l ! -type d -perm /o=rwx -print0)
while IFS= read -r -d '' path; do
  chmod o-rw -- "$path"
  echo "close-config-dir.sh: $path could be listed or written by every local user; now it cannot (o-rw)" >&2
done < <(find "$1" -mindepth 1 -type d -perm /o=rw -print0)
