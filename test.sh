#!/usr/bin/env bash
# Runs every test suite. A suite whose NuGet packages cannot be restored from the configured feeds
# (for example a mirror without Pulumi or Amazon.Lambda.*) is reported as SKIPPED with the missing
# package ids -- never as passed. So is each test that skips itself (the Native AOT tests on a machine
# without the toolchain), with its reason. Any other restore, build or test failure fails the run.
#
# Usage: ./test.sh [--no-skips] [--install-failed '<tool>: <why>']...
#   --no-skips        strict mode, as GitHub's workflow runs it (tests.yml, through .ci/run): there every package
#                     restores and every tool installs, so a skipped suite, a skipped test or a failed install
#                     fails the run instead of only being listed.
#   --install-failed  a tool that .ci/run tried to install and could not (one per option). The summary lists it
#                     as INSTALL FAILED: <tool>: <why>; the tests that need it skip, with their reason.
set -uo pipefail
cd "$(dirname "$0")"

strict=false
install_failures=()
while [ $# -gt 0 ]; do
  case $1 in
    --no-skips) strict=true ;;
    --install-failed)
      [ $# -ge 2 ] || { echo "--install-failed needs '<tool>: <why>'" >&2; exit 2; }
      install_failures+=("$2"); shift ;;
    *) echo "unknown argument: $1 (usage: see the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

suites=(Core.Tests DeployTime.Tests LocalGateway.Tests Verify.Tests Pipeline.Tests Policies.Tests Functions.Tests Infra.Tests)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# The browser test of the local run's /docs page leaves its screenshots here (LocalGateway.Tests/ApiReferencePageTests).
screenshots=TestResults
rm -f "$screenshots"/docs-page*.png

passed=0 failed=0 skipped_tests=0
ran=() skipped=() broken=()

# "reason<TAB>test" for each test a TRX report says was not executed (xunit's skips, with their reason).
skipped_tests_in() {
  awk '
    /<UnitTestResult / && /outcome="NotExecuted"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); open = 1; next }
    open && /<Message>/ { reason = $0; sub(/.*<Message>/, "", reason); sub(/<\/Message>.*/, "", reason); print reason "\t" name; open = 0 }
    /<\/UnitTestResult>/ { if (open) print "(no reason given)\t" name; open = 0 }
  ' "$1" | sed -e "s/&apos;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
}

for suite in "${suites[@]}"; do
  project="$suite/$suite.csproj"
  echo "=== $suite"
  if ! dotnet restore "$project" >"$logs/$suite.restore" 2>&1; then
    errors=$(grep -oE 'error NU[0-9]+' "$logs/$suite.restore" | sort -u)
    missing=$(sed -nE 's/.*NU110[12]: Unable to find package ([A-Za-z0-9_.-]+)(\. No packages| with version).*/\1/p' "$logs/$suite.restore" | sort -u | paste -sd ' ' -)
    if [ -n "$missing" ] && [ -z "$(printf '%s\n' "$errors" | grep -vE 'error NU110[12]$')" ]; then
      echo "SKIPPED $suite: not in the configured NuGet feeds: $missing"
      skipped+=("$suite (missing: $missing)")
    else
      cat "$logs/$suite.restore"
      broken+=("$suite: restore failed")
    fi
    continue
  fi

  dotnet test "$project" --no-restore --logger "trx;LogFileName=$suite.trx" --results-directory "$logs" 2>&1 | tee "$logs/$suite.test"
  status=${PIPESTATUS[0]}
  # VSTest's summary: "Passed!  - Failed:     0, Passed:    84, Skipped:     0, Total:    84, ..."
  summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$logs/$suite.test" | tail -n 1)
  if [ -z "$summary" ]; then
    broken+=("$suite: did not build or run (exit $status)")
    continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped_tests=$((skipped_tests + s))
  if [ "$s" -gt 0 ]; then ran+=("$suite ($p passed, $f failed, $s skipped)"); else ran+=("$suite ($p passed, $f failed)"); fi
  [ -f "$logs/$suite.trx" ] && skipped_tests_in "$logs/$suite.trx" >>"$logs/skipped-tests"
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then broken+=("$suite: dotnet test exited $status"); fi
done

echo
echo "=== Summary"
for r in "${ran[@]}"; do echo "ran      $r"; done
for s in "${skipped[@]}"; do echo "SKIPPED  $s"; done
for b in "${broken[@]}"; do echo "FAILED   $b"; done
for i in "${install_failures[@]}"; do echo "INSTALL FAILED: $i"; done
if [ -s "$logs/skipped-tests" ]; then
  echo "Skipped tests (not passed), by reason:"
  sort "$logs/skipped-tests" | awk -F '\t' '$1 != last { print "  " $1; last = $1 } { print "    - " $2 }'
fi
for shot in "$screenshots"/docs-page*.png; do
  [ -f "$shot" ] && echo "Screenshot of the /docs page in headless Chromium: $PWD/$shot"
done
echo "Suites: ${#ran[@]} ran, ${#skipped[@]} skipped (not passed), ${#broken[@]} broken"
echo "Tests: $passed passed, $failed failed, $skipped_tests skipped"

[ "$failed" -eq 0 ] && [ ${#broken[@]} -eq 0 ] || exit 1
if $strict && { [ ${#skipped[@]} -gt 0 ] || [ "$skipped_tests" -gt 0 ] || [ ${#install_failures[@]} -gt 0 ]; }; then
  echo "FAILED   strict mode (--no-skips): ${#skipped[@]} suites and $skipped_tests tests skipped, ${#install_failures[@]} installs failed"
  exit 1
fi
