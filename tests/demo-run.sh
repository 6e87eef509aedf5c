#!/bin/sh
# `make run`: opens the coding screen on a demo study, demo/carnet.db,
# created with the shipped French codebook and the site "France Services
# Démo" the first time.  The observer is you ($CARNET_OBSERVER, else your
# login name); the site is offered in the start-up form.
set -eu
cd "$(dirname "$0")/.."
mkdir -p demo
if [ ! -e demo/carnet.db ]; then
    ./carnet --db demo/carnet.db init --site "France Services Démo" --name "Démo"
fi
exec ./carnet --db demo/carnet.db observe --observer "${CARNET_OBSERVER:-$(id -un)}"
