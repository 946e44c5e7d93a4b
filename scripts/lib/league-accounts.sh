# Shared by scripts/deploy.sh and scripts/setup-cross-account.sh (sourced, not run).
# Expects the caller to define: dry_run (true|false), the associative array team_profiles, and die().

# One line per account: `leaderboard ACCOUNT REGION`, then `team TEAM_ID ACCOUNT REGION`.
# The CDK app validates the whole config; this checks what the commands are built from.
league_accounts() {
  node --input-type=module - "$1" <<'NODE'
import { readFileSync } from 'node:fs';
const file = process.argv[2];
const config = JSON.parse(readFileSync(file, 'utf8'));
const fail = (message) => { console.error(`${file}: ${message}`); process.exit(1); };
const account = (value, path) => (/^\d{12}$/.test(value ?? '') ? value : fail(`${path} must be a 12-digit AWS account id`));
const region = (value, path) => (/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(value ?? '') ? value : fail(`${path} must be an AWS region`));
console.log(`leaderboard ${account(config.leaderboard?.account, 'leaderboard.account')} ${region(config.leaderboard?.region, 'leaderboard.region')}`);
(config.teams ?? []).forEach((team, i) => {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(team.teamId ?? '')) fail(`teams.${i}.teamId must be lowercase letters, digits and dashes`);
  console.log(`team ${team.teamId} ${account(team.account, `teams.${i}.account`)} ${region(team.region, `teams.${i}.region`)}`);
});
NODE
}

run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  if [[ $dry_run == false ]]; then "$@"; fi
}

profile_args() {
  if [[ -n $1 ]]; then printf '%s\n' --profile "$1"; fi
}

team_profile() {
  local team=$1 variable
  variable=LEAGUE_TEAM_PROFILE_$(tr 'a-z-' 'A-Z_' <<<"$team")
  printf '%s' "${team_profiles[$team]:-${!variable:-}}"
}
