#!/bin/sh
# Writes files of random base64 text into data/ (or $DATA_DIR) for scripts/io.java.
#   ./generate_files.sh            21 files, 100 MB down to 80 MB (2.1 GB), like the original
#   ./generate_files.sh 5 2        5 files, 2 MB down to 1.6 MB: a quick run
# Sizes go from BIGGEST MB down to 80% of it; each file is named by its size in MB (100.txt, 99.txt, ...).
# A file already complete is not written again. Every file made is listed in .generated, which
# rm_files.sh reads to remove exactly those. Needs a POSIX shell and coreutils, nothing else.
set -eu

count=${1:-21}
biggest=${2:-100}
dir=${DATA_DIR:-$(dirname "$0")/data}

case "$count$biggest" in *[!0-9]*|'') echo "usage: $0 [COUNT] [BIGGEST_MB], whole numbers >= 1" >&2; exit 2;; esac
if [ "$count" -lt 1 ] || [ "$biggest" -lt 1 ]; then
  echo "usage: $0 [COUNT] [BIGGEST_MB], whole numbers >= 1" >&2; exit 2
fi

mkdir -p "$dir"
biggest_kib=$((biggest * 1024))
i=0
while [ "$i" -lt "$count" ]; do
  # spread evenly from BIGGEST down to 80% of it, in whole KiB
  if [ "$count" -gt 1 ]; then kib=$((biggest_kib - biggest_kib * i / (5 * (count - 1)))); else kib=$biggest_kib; fi
  mb_whole=$((kib / 1024)); mb_frac=$(( (kib % 1024) * 100 / 1024 ))
  if [ "$mb_frac" -eq 0 ]; then name="$mb_whole.txt"; else name=$(printf '%d.%02d.txt' "$mb_whole" "$mb_frac"); fi
  file="$dir/$name"
  bytes=$((kib * 1024))
  i=$((i + 1))
  grep -qxF "$name" "$dir/.generated" 2>/dev/null || echo "$name" >> "$dir/.generated"
  if [ -f "$file" ] && [ "$(wc -c < "$file")" -eq "$bytes" ]; then
    echo "[$i/$count] $file is complete ($bytes bytes): kept"
    continue
  fi
  echo "[$i/$count] writing $file ($bytes bytes)"
  # 3 random bytes make 4 base64 characters; KiB multiples are divisible by 4, so the size is exact
  head -c $((bytes / 4 * 3)) /dev/urandom | base64 -w 0 > "$file.part"
  mv "$file.part" "$file"
done
echo "done: $count files in $dir"
