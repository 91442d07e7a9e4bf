#!/bin/sh
# Removes exactly the files generate_files.sh made (listed in data/.generated), nothing else in data/.
# Safe to run twice: what is already gone is skipped.
set -eu
dir=${DATA_DIR:-$(dirname "$0")/data}
list="$dir/.generated"
if [ ! -f "$list" ]; then
  echo "nothing to remove: no $list (generate_files.sh has not run, or rm_files.sh already did)"
  exit 0
fi
removed=0
while IFS= read -r name; do
  case "$name" in */*|''|.*) continue;; esac   # only plain names generation wrote
  for file in "$dir/$name" "$dir/$name.part"; do
    if [ -f "$file" ]; then rm -f "$file"; removed=$((removed + 1)); fi
  done
done < "$list"
rm -f "$list"
echo "removed $removed files from $dir"
