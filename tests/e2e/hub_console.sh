#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# End-to-end: the staff console's foundation (hub-api-v1.md "The hub's
# command line", `staff` and `audit`): exit statuses 0/1/2 of staff add,
# password and remove; the password taken from the file's first line; the
# audit log naming accounts by id and never holding a password.
set -eu
# shellcheck source=hub_lib.sh
. "$(dirname "$0")/hub_lib.sh"

DB=$WORK/hub.db
PW=$WORK/pw
printf 'Zomer in de buurt 2026\nthis second line is not the password\n' >"$PW"
PW2=$WORK/pw2
printf 'ander wachtwoord\r\n' >"$PW2"
: >"$WORK/empty"

# ---- staff: bad usage is 2 ----------------------------------------------------------
run "$HUB" staff
check_eq "staff without an action: 2" 2 "$RC"
run "$HUB" staff frob --db "$DB" alice
check_eq "staff with an unknown action: 2" 2 "$RC"
run "$HUB" staff add --db "$DB" alice --password-file "$PW"
check_eq "staff add without --locations or --all: 2" 2 "$RC"
check_contains "staff add: says what is missing" "$ERR" "--all"
run "$HUB" staff add --db "$DB" alice --locations loc-a --all --password-file "$PW"
check_eq "staff add with both --locations and --all: 2" 2 "$RC"
run "$HUB" staff add --db "$DB" alice --all
check_eq "staff add without --password-file: 2" 2 "$RC"
for bad in Alice "al ice" "" "a/b" "$(printf '%065d' 0)"; do
    run "$HUB" staff add --db "$DB" "$bad" --all --password-file "$PW"
    check_eq "staff add of username [$bad]: 2" 2 "$RC"
done
run "$HUB" staff add --db "$DB" alice --locations "a,,b" --password-file "$PW"
check_eq "staff add with a bad location list: 2" 2 "$RC"
run "$HUB" staff remove --db "$DB" alice --all
check_eq "staff remove with --all: 2" 2 "$RC"
run "$HUB" staff password --db "$DB" alice
check_eq "staff password without --password-file: 2" 2 "$RC"
run "$HUB" staff add --db "$DB" alice bob --all --password-file "$PW"
check_eq "staff add with two usernames: 2" 2 "$RC"
run "$HUB" audit
check_eq "audit without --db: 2" 2 "$RC"
run "$HUB" audit --db "$WORK/missing.db"
check_eq "audit of a missing database: 1" 1 "$RC"

# ---- staff: refusals are 1 ----------------------------------------------------------
run "$HUB" staff add --db "$DB" alice --all --password-file "$WORK/missing"
check_eq "staff add with a missing password file: 1" 1 "$RC"
run "$HUB" staff add --db "$DB" alice --all --password-file "$WORK/empty"
check_eq "staff add with an empty password: 1" 1 "$RC"

# ---- staff: accounts ----------------------------------------------------------------
run "$HUB" staff add --db "$DB" coord --all --password-file "$PW"
check_eq "staff add --all" 0 "$RC"
check_eq "staff add prints nothing" "" "$OUT"
run "$HUB" staff add --db "$DB" alice --locations loc-a,loc-b --password-file "$PW"
check_eq "staff add --locations" 0 "$RC"
run "$HUB" staff add --db "$DB" alice --all --password-file "$PW2"
check_eq "existing username: 1" 1 "$RC"
check_contains "existing username: reason" "$ERR" "exists"
run "$HUB" staff password --db "$DB" alice --password-file "$PW2"
check_eq "staff password" 0 "$RC"
run "$HUB" staff password --db "$DB" nobody --password-file "$PW2"
check_eq "staff password of an unknown username: 1" 1 "$RC"
run "$HUB" staff remove --db "$DB" coord
check_eq "staff remove" 0 "$RC"
run "$HUB" staff remove --db "$DB" coord
check_eq "staff remove twice: 1" 1 "$RC"
if sqlite3 "$DB" 'SELECT password_hash FROM staff' | grep -q -e 'Zomer' -e 'ander'; then
    fail "a password is stored as is"
else
    pass
fi
check_match "the hash is Argon2id" "$(sqlite3 "$DB" "SELECT password_hash FROM staff WHERE username='alice'")" '$argon2id$*'

# ---- audit -----------------------------------------------------------------------------
run "$HUB" audit --db "$DB"
check_eq "audit exit" 0 "$RC"
check_eq "audit: one line per change" 4 "$(printf '%s\n' "$OUT" | wc -l)"
check_match "audit line shape" "$(printf '%s\n' "$OUT" | head -n 1)" \
    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]*[+-][0-9:]* cli staff.add coord'
check_contains "audit: password change" "$OUT" "cli staff.password alice"
check_contains "audit: removal" "$OUT" "cli staff.remove coord"
check_not_contains "audit: no password" "$OUT" "Zomer"

summary
