#!/bin/bash
# Entry point of the compose "odoo" service: Odoo runs with a copy of odoo.conf that holds
# a master password of its own (ODOO_MASTER_PASSWORD, or generated on the first start,
# printed once and kept in the odoo-data volume, never in git).
set -e
conf=$(python3 /mnt/suite/tools/master_password.py --data-dir /var/lib/odoo)
exec /entrypoint.sh odoo -c "$conf" "$@"
