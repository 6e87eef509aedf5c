#!/bin/sh
# `make run`: opens the coding screen on a demo study, demo/carnet.db
# ($CARNET_DEMO_DIR/carnet.db when that is set: the tests use it).
# The first time, the study is created with the shipped French codebook and
# filled with a year of synthetic interactions at three sites (`carnet
# demo`), so that `carnet stats`, `carnet export` and the history have
# something to show.  The observer is you ($CARNET_OBSERVER, else your login
# name), at the demo's France Services desk ($CARNET_SITE to choose another).
set -eu
cd "$(dirname "$0")/.."
dir=${CARNET_DEMO_DIR:-demo}
mkdir -p "$dir"
if [ ! -e "$dir/carnet.db" ]; then
    ./carnet --db "$dir/carnet.db" init --name "Démo LabAccès" --site "France Services Vitré"
    ./carnet --db "$dir/carnet.db" demo --interactions 3000 --seed 2026
fi
exec ./carnet --db "$dir/carnet.db" observe --site "${CARNET_SITE:-France Services Vitré}" \
    --observer "${CARNET_OBSERVER:-$(id -un)}"
