#!/bin/bash
# Entry point of `docker compose run odoo` for the tests: the database is the compose service "db".
export HOST=db
cd /mnt/suite && exec python3 tools/run_tests.py "$@"
