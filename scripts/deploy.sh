#!/usr/bin/env bash
# Deploys an LLM League, in the order the stacks need: the leaderboard stack first (its
# SubmitterRole must trust every team before a team submits, and its Judge API URL is the
# participant stacks' input), then one participant stack per team, each into the team's own
# account with the Judge API URL read from the leaderboard stack's outputs.
#
# Run scripts/setup-cross-account.sh once before the first deploy. Profiles are chosen as there:
# without a team profile the default credentials are used, which works from the leaderboard
# account's CI when the team accounts were bootstrapped with --trust-leaderboard.
set -euo pipefail

readonly LEADERBOARD_STACK=LlmLeagueLeaderboard

usage() {
  cat <<'USAGE'
Usage: scripts/deploy.sh [options] [-- extra cdk deploy arguments]

Deploys LlmLeagueLeaderboard, reads its JudgeApiUrl output, then deploys
LlmLeagueParticipant-<teamId> for each team with -c league:judgeApiUrl=<that URL>.

Options:
  --config FILE               The league config (default: league.config.json)
  --team TEAM                 Deploy only this team's participant stack; repeatable
                              (the leaderboard stack is always deployed first)
  --leaderboard-profile NAME  AWS CLI profile for the leaderboard account
                              (default: $LEAGUE_LEADERBOARD_PROFILE, else the default credentials)
  --team-profile TEAM=NAME    AWS CLI profile for a team's account; repeat per team
                              (default: $LEAGUE_TEAM_PROFILE_<TEAM>, e.g. LEAGUE_TEAM_PROFILE_FALCONS
                              for team falcons, dashes as underscores; else the default credentials)
  --dry-run                   Print the commands instead of running them
  -h, --help                  Show this help

Arguments after -- go to every cdk deploy, e.g. -- --require-approval never
USAGE
}

die() {
  echo "deploy.sh: $*" >&2
  exit 1
}

config=league.config.json
leaderboard_profile=${LEAGUE_LEADERBOARD_PROFILE:-}
declare -A team_profiles=()
declare -A selected_teams=()
dry_run=false
cdk_args=()

while (($# > 0)); do
  case $1 in
    --config) config=${2:?--config needs a file}; shift 2 ;;
    --team) selected_teams[${2:?--team needs a team id}]=1; shift 2 ;;
    --leaderboard-profile) leaderboard_profile=${2:?--leaderboard-profile needs a name}; shift 2 ;;
    --team-profile)
      pair=${2:?--team-profile needs TEAM=NAME}
      [[ $pair == *=* ]] || die "--team-profile needs TEAM=NAME, got $pair"
      team_profiles[${pair%%=*}]=${pair#*=}
      shift 2
      ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; cdk_args=("$@"); break ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[[ -f $config ]] || die "no league config at $config (copy league.config.example.json and fill it in)"
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CDK_DISABLE_VERSION_CHECK=1

# shellcheck source=lib/league-accounts.sh
source scripts/lib/league-accounts.sh
accounts=$(league_accounts "$config")

read -r _ leaderboard_account leaderboard_region <<<"$(head -n 1 <<<"$accounts")"
teams=$(tail -n +2 <<<"$accounts")
for team in "${!selected_teams[@]}"; do
  grep -q "^team $team " <<<"$teams" || die "team $team is not in $config"
done
[[ -n $teams ]] || echo "# $config has no teams: only the leaderboard stack is deployed"

mapfile -t profile < <(profile_args "$leaderboard_profile")
run npx cdk deploy "$LEADERBOARD_STACK" -c "league:config=$config" "${profile[@]}" "${cdk_args[@]}"

describe=(aws cloudformation describe-stacks --stack-name "$LEADERBOARD_STACK" --region "$leaderboard_region"
  "${profile[@]}" --query "Stacks[0].Outputs[?OutputKey=='JudgeApiUrl'].OutputValue" --output text)
if [[ $dry_run == true ]]; then
  run "${describe[@]}"
  judge_api_url="<JudgeApiUrl of $LEADERBOARD_STACK in $leaderboard_account>"
else
  printf '+'
  printf ' %q' "${describe[@]}"
  printf '\n'
  judge_api_url=$("${describe[@]}")
  [[ $judge_api_url == https://* ]] ||
    die "$LEADERBOARD_STACK has no JudgeApiUrl output in $leaderboard_account/$leaderboard_region (got '$judge_api_url')"
  echo "# Judge API: $judge_api_url"
fi

while read -r _ team _ _; do
  [[ -n $team ]] || continue
  if ((${#selected_teams[@]} > 0)) && [[ -z ${selected_teams[$team]:-} ]]; then continue; fi
  mapfile -t profile < <(profile_args "$(team_profile "$team")")
  run npx cdk deploy "LlmLeagueParticipant-$team" -c "league:config=$config" \
    -c "league:judgeApiUrl=$judge_api_url" "${profile[@]}" "${cdk_args[@]}"
done <<<"$teams"
