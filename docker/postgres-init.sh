#!/bin/sh
# Creates one database per service on the first start of the PostgreSQL volume; no service reads another's.
set -e
for db in portal console single_window documents payments notifications sandbox; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE $db"
done
