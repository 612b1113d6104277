#!/usr/bin/env bash
# The database-change steps of a CI pipeline, shared by github-actions.yml and gitlab-ci.yml (see docs/ci.md).
#
#   db-tickets-ci.sh analyze   analyze the .sql files the change adds or modifies: annotations on GitHub (else the
#                              text report) in the log, SARIF and JUnit reports in $DB_TICKETS_CI_REPORTS;
#                              fails on a risk of severity error
#   db-tickets-ci.sh ticket    file one schema-change ticket with those files' SQL, keyed to the pipeline run, and
#                              wait until it is approved: fails when it is rejected, cancelled or fails
#
# Environment:
#   DB_TICKETS_CI_BASE      the commit the change is compared with (the pull request's or merge request's base); required
#   DB_TICKETS_CI_REPORTS   folder for the reports and the draft (default: db-tickets-reports)
#   DB_TICKETS_CI_KEY       ticket: the run's idempotency key (e.g. the pipeline id); a re-run finds its ticket; required
#   DB_TICKETS_CI_DATABASE  ticket: the database the change runs on; required
#   DB_TICKETS_CI_REASON    ticket: why the change is needed, for the approvers; required
#   DB_TICKETS_CI_TITLE     ticket: its title (default: taken from the SQL)
#   DB_TICKETS_CI_PROFILE   ticket: the db-tickets profile (default: the configuration's local profile)
#   DB_TICKETS_CI_UNTIL     ticket: approved (default) or done, i.e. wait until it has been executed too
#   DB_TICKETS_CI_INTERVAL  ticket: seconds between checks of the ticket (default: 30)
#   DB_TICKETS_CI_DIALECT   analyze: mysql, postgres or generic (default)
# and db-tickets' own: DB_TICKETS_CONFIG, the backend's credentials.
set -euo pipefail

step=${1:-}
reports=${DB_TICKETS_CI_REPORTS:-db-tickets-reports}

fail() {
  echo "db-tickets-ci: $*" >&2
  exit 2
}

[[ $step == analyze || $step == ticket ]] || fail "unknown step \"$step\": use analyze or ticket."
[[ -n ${DB_TICKETS_CI_BASE:-} ]] || fail "DB_TICKETS_CI_BASE is not set: set it to the commit the change is compared with."
cd "$(git rev-parse --show-toplevel)"
git rev-parse --verify --quiet "$DB_TICKETS_CI_BASE^{commit}" >/dev/null ||
  fail "the base commit $DB_TICKETS_CI_BASE is not in this clone: fetch the whole history (GitHub: fetch-depth: 0; GitLab: GIT_DEPTH: 0)."
mkdir -p -- "$reports"

# The .sql files the change adds, copies, modifies or renames since it left the base (the base's own later commits
# do not count), NUL-separated so that any file name is safe; removed files have nothing to analyze. Listed into a
# file first, so that a failing git fails the step instead of looking like a change without SQL.
list=$(mktemp)
trap 'rm -f -- "$list"' EXIT
git diff --name-only -z --no-renames --diff-filter=ACMR "$DB_TICKETS_CI_BASE...HEAD" -- '*.sql' >"$list"
changed=()
while IFS= read -r -d '' file; do
  changed+=("$file")
done <"$list"

if ((${#changed[@]} == 0)); then
  echo "db-tickets-ci: no .sql file changed since $DB_TICKETS_CI_BASE: nothing to do."
  exit 0
fi
printf 'db-tickets-ci: %d changed .sql file(s):\n' "${#changed[@]}"
printf '  %q\n' "${changed[@]}"

analyze() {
  local dialect=(--dialect "${DB_TICKETS_CI_DIALECT:-generic}")
  db-tickets analyze "${dialect[@]}" --format sarif -- "${changed[@]}" >"$reports/db-tickets.sarif"
  db-tickets analyze "${dialect[@]}" --format junit -- "${changed[@]}" >"$reports/db-tickets-junit.xml"
  local format=text
  [[ ${GITHUB_ACTIONS:-} == true ]] && format=github
  db-tickets analyze "${dialect[@]}" --format "$format" --fail-on error -- "${changed[@]}"
}

ticket() {
  [[ -n ${DB_TICKETS_CI_KEY:-} ]] || fail "DB_TICKETS_CI_KEY is not set: set it to the pipeline run's id, so a re-run finds its ticket."
  [[ -n ${DB_TICKETS_CI_DATABASE:-} ]] || fail "DB_TICKETS_CI_DATABASE is not set: set it to the database the change runs on."
  [[ -n ${DB_TICKETS_CI_REASON:-} ]] || fail "DB_TICKETS_CI_REASON is not set: say why the change is needed, for the approvers."
  local profile=()
  [[ -n ${DB_TICKETS_CI_PROFILE:-} ]] && profile=(--profile "$DB_TICKETS_CI_PROFILE")
  local title=()
  [[ -n ${DB_TICKETS_CI_TITLE:-} ]] && title=(--title "$DB_TICKETS_CI_TITLE")

  # The draft file: the changed files' SQL in path order, each after a comment naming it (its name on one line),
  # with the run's key as its draft id, so submitting it again — a re-run — finds the same ticket.
  local draft="$reports/db-tickets-draft.sql" file
  for file in "${changed[@]}"; do
    printf -- '-- %s\n' "${file//[$'\r\n']/ }"
    cat -- "$file"
    printf '\n'
  done | db-tickets "${profile[@]}" draft --kind schema --db "$DB_TICKETS_CI_DATABASE" --reason "$DB_TICKETS_CI_REASON" "${title[@]}" --key "$DB_TICKETS_CI_KEY" >"$draft"

  local submitted id
  submitted=$(db-tickets "${profile[@]}" --json submit "$draft")
  id=$(node -e 'process.stdout.write(JSON.parse(require("node:fs").readFileSync(0, "utf8")).id)' <<<"$submitted")
  echo "db-tickets-ci: ticket #$id holds the change (draft id $DB_TICKETS_CI_KEY); waiting until it is ${DB_TICKETS_CI_UNTIL:-approved}."
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then echo "ticket=$id" >>"$GITHUB_OUTPUT"; fi
  # Exit 0 once approved (or executed, with DB_TICKETS_CI_UNTIL=done); 1 when rejected, cancelled or failed.
  db-tickets "${profile[@]}" watch "$id" --until "${DB_TICKETS_CI_UNTIL:-approved}" --interval "${DB_TICKETS_CI_INTERVAL:-30}"
}

"$step"
