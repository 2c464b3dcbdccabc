#!/bin/sh
# The monthly report of the month just ended, mailed with sendmail.
# From and To come from [email] in qunli.toml, or set them here:
#   --mail-from dangzhengban@example.org --mail-to shuji@example.org
set -eu
: "${QUNLI_DIR:?set QUNLI_DIR to the workspace}"
export QUNLI_DIR
msg=$(mktemp)
trap 'rm -f "$msg"' EXIT
# Exit status 1 means findings: the report is still sent. 2 means it could not be made —
# for instance a month outside the workspace's years, or a damaged ledger.
status=0
qunli report monthly --format email --output "$msg" || status=$?
if [ "$status" -ge 2 ]; then
  echo "qunli could not make the monthly report (exit $status)" >&2
  exit "$status"
fi
/usr/sbin/sendmail -t < "$msg"
