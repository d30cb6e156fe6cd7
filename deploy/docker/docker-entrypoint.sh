#!/bin/sh
# Entry point of the tsentinel image (one image, two daemons: tsentinel and tredis).
#
# Follows the official redis image (docker-library/redis docker-entrypoint.sh): when the first argument ends in
# `.conf` or starts with `-`, it is an argument for the default daemon, so
#     docker run tsentinel /etc/tsentinel/sentinel.conf --port 26379
# runs `tsentinel /etc/tsentinel/sentinel.conf --port 26379`. The default daemon is $TSENTINEL_DAEMON (tsentinel
# unless set to tredis). Any other first word is run as a command (`tredis node.conf`, `tsentinel status`, `sh`).
#
# Writable configuration: a daemon rewrites its config file (a sentinel persists epochs and peers there, and
# refuses to start when it cannot), and renaming over a single bind-mounted file fails with EBUSY. So a config file
# given from the read-only seed directory ($TSENTINEL_SEED_DIR, default /etc/tsentinel: a bind mount, a ConfigMap)
# is copied once into the data volume ($TSENTINEL_DATA_DIR, default /data) and the daemon runs on that copy. A copy
# that already exists is kept: it holds the state learned since the first start.
set -e

seed_dir="${TSENTINEL_SEED_DIR:-/etc/tsentinel}"
data_dir="${TSENTINEL_DATA_DIR:-/data}"

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- "${TSENTINEL_DAEMON:-tsentinel}" "$@"
fi

if { [ "$1" = tsentinel ] || [ "$1" = tredis ]; } && [ "$#" -ge 2 ] && [ "${2%.conf}" != "$2" ]; then
	case "$2" in
		"$seed_dir"/*)
			copy="$data_dir/$(basename "$2")"
			if [ ! -e "$copy" ]; then
				cp "$2" "$copy"
				echo "docker-entrypoint: copied $2 to $copy (the daemon rewrites its config; the seed stays untouched)" >&2
			fi
			daemon="$1"
			shift 2
			set -- "$daemon" "$copy" "$@"
			;;
	esac
fi

exec "$@"
