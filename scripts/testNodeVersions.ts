// Runs the test suite under Node 22 and 24 (or the majors given), with the Node binaries of the npm
// registry's `node` package (`npx -y node@22 …`); `npm test` covers the Node that runs it (20 in CI).
// Not part of `npm test`: each version installs a Node binary the first time (about 120 MB
// unpacked) and runs the whole suite once (5 to 8 minutes each on the shared 2-core machine).
// Usage: npm run test:node-versions [-- 22 24]
import { spawnSync } from 'node:child_process'

const versions = process.argv.slice(2).filter((a) => /^\d+$/.test(a))
const majors = versions.length > 0 ? versions : ['22', '24']
const results: { major: string; status: number | null; seconds: number }[] = []

for (const major of majors) {
  const started = Date.now()
  console.log(`\n=== Node ${major}: vitest run`)
  // npx -y node@<major> runs that version's binary; vitest's own entry file needs no build step.
  const run = spawnSync('npx', ['-y', `node@${major}`, 'node_modules/vitest/vitest.mjs', 'run'], { stdio: 'inherit', env: process.env })
  results.push({ major, status: run.status, seconds: Math.round((Date.now() - started) / 1000) })
}

console.log('\nNode  result  time')
for (const r of results) console.log(`${r.major.padEnd(5)} ${r.status === 0 ? 'pass  ' : 'FAIL  '}  ${r.seconds} s`)
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1
