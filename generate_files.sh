#!/bin/sh
# Writes files of random base64 text into data/ (or $DATA_DIR) for the io_ scripts.
#   ./generate_files.sh            21 files, 100 MB down to 80 MB (2.1 GB), like the original
#   ./generate_files.sh 5 2        5 files, 2 MB down to 1.6 MB: a quick run
# Sizes go from BIGGEST MB down to 80% of it; each file is named by its size in MB (100.txt, 99.txt, ...).
# It never touches a file it did not write: each file it writes is listed in .generated with its size, time and inode,
# a file of that name that is not listed so (yours) is left alone and said, and rm_files.sh removes only files
# that still match their line. A file it wrote and that is still whole is kept. Needs a POSIX shell and coreutils.
set -eu

usage="usage: $0 [COUNT] [BIGGEST_MB]: whole numbers, COUNT from 1 to 10000, BIGGEST_MB from 1 to 1048576"
count=${1:-21}
biggest=${2:-100}
dir=${DATA_DIR:-$(dirname "$0")/data}

# checked as text first: a number past the shell's integer range must never reach its arithmetic
for n in "$count" "$biggest"; do
  case "$n" in *[!0-9]*|'') echo "$usage; got '$n'" >&2; exit 2;; esac
  [ "${#n}" -le 7 ] || { echo "$usage; got $n" >&2; exit 2; }
done
count=$(expr "$count" + 0 || true); biggest=$(expr "$biggest" + 0 || true)   # 007 is 7, not octal; expr says 0 with status 1
if [ "$count" -lt 1 ] || [ "$count" -gt 10000 ] || [ "$biggest" -lt 1 ] || [ "$biggest" -gt 1048576 ]; then
  echo "$usage; got $count and $biggest" >&2; exit 2
fi

mkdir -p "$dir"
list="$dir/.generated"
touch "$list"
biggest_kib=$((biggest * 1024))

kib_of() { # the size of file number $1 (0-based), spread evenly from BIGGEST down to 80% of it, in whole KiB
  if [ "$count" -gt 1 ]; then echo $((biggest_kib - biggest_kib * $1 / (5 * (count - 1)))); else echo "$biggest_kib"; fi
}
name_of() { # 100.txt, 99.05.txt, ...: the size in MB
  mb_whole=$(($1 / 1024)); mb_frac=$(( ($1 % 1024) * 100 / 1024 ))
  if [ "$mb_frac" -eq 0 ]; then echo "$mb_whole.txt"; else printf '%d.%02d.txt' "$mb_whole" "$mb_frac"; fi
}
stamp() { # size, modification time (ns) and inode: what the list remembers of a file it wrote
  stat -c '%s %.9Y %i' "$1"
}
ours() { # true when $1 (a name in $dir) is a file this script wrote and nobody changed since
  [ -f "$dir/$1" ] && grep -qxF "$1 $(stamp "$dir/$1")" "$list"
}

# the disk must hold what is still to write, before anything is written
need_kib=0
i=0
while [ "$i" -lt "$count" ]; do
  kib=$(kib_of "$i"); name=$(name_of "$kib")
  if [ -e "$dir/$name" ] && ! ours "$name"; then :   # a file of yours: not written, needs nothing
  elif ours "$name" && [ "$(wc -c < "$dir/$name")" -eq $((kib * 1024)) ]; then :   # whole already
  else need_kib=$((need_kib + kib)); fi
  i=$((i + 1))
done
free_kib=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
if [ "$need_kib" -gt "$free_kib" ]; then
  echo "$0: $count files need $((need_kib / 1024)) MiB more in $dir, and its disk has $((free_kib / 1024)) MiB free: nothing written" >&2
  exit 2
fi

part="$dir/.generating.$$"
trap 'rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
written=0; left=0
i=0
while [ "$i" -lt "$count" ]; do
  kib=$(kib_of "$i"); name=$(name_of "$kib"); file="$dir/$name"
  bytes=$((kib * 1024))
  i=$((i + 1))
  if [ -e "$file" ] && ! ours "$name"; then
    echo "[$i/$count] $file is not one this script wrote (or was changed since): left alone, not generated"
    left=$((left + 1))
    continue
  fi
  if [ -f "$file" ] && [ "$(wc -c < "$file")" -eq "$bytes" ]; then
    echo "[$i/$count] $file is complete ($bytes bytes): kept"
    continue
  fi
  echo "[$i/$count] writing $file ($bytes bytes)"
  # 3 random bytes make 4 base64 characters; KiB multiples are divisible by 4, so the size is exact
  head -c $((bytes / 4 * 3)) /dev/urandom | base64 -w 0 > "$part"
  mv "$part" "$file"
  awk -v name="$name" '$1 != name' "$list" > "$list.new"
  echo "$name $(stamp "$file")" >> "$list.new"
  mv "$list.new" "$list"
  written=$((written + 1))
done
echo "done: $((count - left)) files in $dir ($written written now)$([ "$left" -eq 0 ] || echo "; $left name(s) taken by files of yours, left alone")"
