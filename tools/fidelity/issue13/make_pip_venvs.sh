#!/bin/sh
# venvs/pip-X: pyenv Python + pip==X from PyPI (one at a time)
set -x
P=/root/.pyenv/versions
mk() { d=venvs/pip-$1; [ -x $d/bin/python ] && $d/bin/python -m pip --version | grep -q "pip $1 " && return; rm -rf $d; $P/$2/bin/python -m venv $d && $d/bin/python -m pip install -q "pip==$1"; $d/bin/python -m pip --version; }
mk 20.2.4 3.8.18
mk 21.3.1 3.9.18
mk 26.3 3.12.1
