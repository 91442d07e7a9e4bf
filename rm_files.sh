#!/bin/sh
# Removes exactly the files generate_files.sh wrote (listed in data/.generated with their size, time and inode), nothing
# else in data/: a listed file that was changed since (another size, time or inode) is yours now, and is left alone.
# Safe to run twice: what is already gone is skipped.
set -eu
dir=${DATA_DIR:-$(dirname "$0")/data}
list="$dir/.generated"
if [ ! -f "$list" ]; then
  echo "nothing to remove: no $list (generate_files.sh has not run, or rm_files.sh already did)"
  exit 0
fi
removed=0; kept=0
while IFS=' ' read -r name size mtime inode; do
  case "$name" in */*|''|.*) continue;; esac   # only plain names generation wrote
  file="$dir/$name"
  [ -f "$file" ] || continue
  if [ -n "$inode" ] && [ "$(stat -c '%s %.9Y %i' "$file")" = "$size $mtime $inode" ]; then
    rm -f "$file"; removed=$((removed + 1))
  else
    echo "$file was changed since generate_files.sh wrote it (or is not listed with its size, time and inode): left alone"
    kept=$((kept + 1))
  fi
done < "$list"
# a generation killed mid-file (SIGKILL) leaves its .generating.PID behind: removed once its process is gone
for part in "$dir"/.generating.*; do
  pid=${part##*.generating.}
  case "$pid" in ''|*[!0-9]*) continue;; esac
  [ -f "$part" ] && ! kill -0 "$pid" 2>/dev/null && rm -f "$part"
done
rm -f "$list"
echo "removed $removed files from $dir$([ "$kept" -eq 0 ] || echo "; $kept left alone")"
