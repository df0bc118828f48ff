#!/usr/bin/env bash
# Prints a Python >= 3.12 interpreter: PATH first (pyenv shims that fail are skipped),
# then pyenv's installed versions. Exits 1 with advice if there is none.
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for name in python3.14 python3.13 python3.12 python3 python; do
  cand=$(command -v "$name" 2>/dev/null) || continue
  if ok "$cand"; then echo "$cand"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for cand in $(ls -d "$root"/versions/3.*/bin/python 2>/dev/null | sort -rV); do
  if ok "$cand"; then echo "$cand"; exit 0; fi
done
echo "Tongxin needs Python 3.12 or newer, and none was found on PATH or under pyenv." >&2
echo "Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12'." >&2
exit 1
