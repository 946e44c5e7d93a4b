#!/usr/bin/env bash
# Bootstraps CDK in every account of an LLM League: the organiser's leaderboard account and each
# team's account (each in its own region), so that scripts/deploy.sh can deploy there.
#
# Credentials: each account is bootstrapped with the AWS CLI profile named for it, so the organiser
# (or each team) needs credentials in that account. By default nothing is trusted across accounts:
# the team stack is deployed with the team account's own profile, and the leaderboard account gets
# no standing access to any team account. The two accounts only meet through the SubmitterRole,
# which the leaderboard stack creates and which trusts each team account with its ExternalId.
#
# --trust-leaderboard is for one case only: the organiser deploys every team stack from CI running
# in the leaderboard account. It makes each team account's CDK deploy roles trust the leaderboard
# account (`cdk bootstrap --trust`), which lets that account deploy anything with the execution
# policy given (AdministratorAccess unless --execution-policy says otherwise) into the team account.
# Teams must agree to that; leave it off when teams or the organiser deploy with team profiles.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/setup-cross-account.sh [options]

Bootstraps CDK in the leaderboard account and in each team account of the league config.

Options:
  --config FILE               The league config (default: league.config.json)
  --leaderboard-profile NAME  AWS CLI profile for the leaderboard account
                              (default: $LEAGUE_LEADERBOARD_PROFILE, else the default credentials)
  --team-profile TEAM=NAME    AWS CLI profile for a team's account; repeat per team
                              (default: $LEAGUE_TEAM_PROFILE_<TEAM>, e.g. LEAGUE_TEAM_PROFILE_FALCONS
                              for team falcons, dashes as underscores; else the default credentials)
  --trust-leaderboard         Let the leaderboard account deploy into each team account (only for
                              deploying every stack from the leaderboard account's CI; see the
                              comments at the top of this script)
  --execution-policy ARN      With --trust-leaderboard: the policy CloudFormation deploys with in
                              the team accounts (default: arn:aws:iam::aws:policy/AdministratorAccess)
  --dry-run                   Print the commands instead of running them
  -h, --help                  Show this help
USAGE
}

die() {
  echo "setup-cross-account.sh: $*" >&2
  exit 1
}

config=league.config.json
leaderboard_profile=${LEAGUE_LEADERBOARD_PROFILE:-}
declare -A team_profiles=()
trust_leaderboard=false
execution_policy=arn:aws:iam::aws:policy/AdministratorAccess
dry_run=false

while (($# > 0)); do
  case $1 in
    --config) config=${2:?--config needs a file}; shift 2 ;;
    --leaderboard-profile) leaderboard_profile=${2:?--leaderboard-profile needs a name}; shift 2 ;;
    --team-profile)
      pair=${2:?--team-profile needs TEAM=NAME}
      [[ $pair == *=* ]] || die "--team-profile needs TEAM=NAME, got $pair"
      team_profiles[${pair%%=*}]=${pair#*=}
      shift 2
      ;;
    --trust-leaderboard) trust_leaderboard=true; shift ;;
    --execution-policy) execution_policy=${2:?--execution-policy needs an ARN}; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
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

leaderboard_account=
declare -A bootstrapped=()
while read -r kind first second third; do
  if [[ $kind == leaderboard ]]; then
    leaderboard_account=$first
    mapfile -t profile < <(profile_args "$leaderboard_profile")
    run npx cdk bootstrap "aws://$first/$second" "${profile[@]}"
    bootstrapped["$first/$second"]=1
    continue
  fi
  team=$first account=$second region=$third
  if [[ -n ${bootstrapped["$account/$region"]:-} ]]; then
    echo "# $team: aws://$account/$region is already bootstrapped"
    continue
  fi
  mapfile -t profile < <(profile_args "$(team_profile "$team")")
  trust=()
  if [[ $trust_leaderboard == true && $account != "$leaderboard_account" ]]; then
    trust=(--trust "$leaderboard_account" --cloudformation-execution-policies "$execution_policy")
  fi
  run npx cdk bootstrap "aws://$account/$region" "${profile[@]}" "${trust[@]}"
  bootstrapped["$account/$region"]=1
done <<<"$accounts"
