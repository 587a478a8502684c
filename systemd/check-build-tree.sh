#!/usr/bin/env bash
# Refuses a built program tree that root must not take over as it stands: install.sh runs it
# (with bash, so a copy without the execute bit works) on /opt/keywarden.new, built by an
# unprivileged user, before handing the tree to root (chown -R);
# test/systemd/build-tree-check.test.ts runs it on temporary trees.
#
#   systemd/check-build-tree.sh <directory>
#
# Exit 0 when the tree holds none of the three below; 1 naming the first found; 2 on bad usage.
set -euo pipefail

die() {
  echo "check-build-tree.sh: $*" >&2
  exit 1
}
[ $# -eq 1 ] && [ -d "$1" ] || {
  echo "usage: check-build-tree.sh <directory>" >&2
  exit 2
}
# Canonical, as readlink -m makes the targets compared with it below.
tree=$(cd -- "$1" && pwd -P)

# A hard link to a file outside the tree would carry that file's ownership change with it.
# (node-gyp hard-links its output inside the tree: a file is refused only when some of its links
# are not in the tree, that is when the tree holds fewer of its names than its link count.)
hard_linked=$(find "$tree" ! -type d -links +1 -printf '%i %n %p\n' |
  awk '{ seen[$1]++; links[$1] = $2; name[$1] = $3 }
    END { for (i in seen) if (seen[i] < links[i]) { print name[i]; exit } }')
[ -z "$hard_linked" ] || die "the build left a file hard-linked from outside the program, refused: $hard_linked"

# A symlink pointing out of the tree would make root run or read what it names.
while IFS= read -r -d '' link; do
  target=$(readlink -m -- "$link")
  case "$target" in
    "$tree"/*) ;;
    *) die "the build left a symlink pointing outside the program, refused: $link -> $(readlink -- "$link")" ;;
  esac
done < <(find "$tree" -type l -print0)

# Checked before root takes the tree: chown clears the setuid bit of an executable file (not a
# directory's setgid bit), so afterwards most of what the build set would no longer show.
special=$(find "$tree" -perm /6000 ! -type l -print -quit)
[ -z "$special" ] || die "the build left a setuid or setgid file, refused: $special"
exit 0
