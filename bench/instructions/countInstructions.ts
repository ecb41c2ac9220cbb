// `npm run bench:instructions`: instructions the orchestrator executes in process (no HTTP) per
// call round (one completion notification, one roster notification, one command with its answer),
// counted by valgrind's callgrind. Unlike CPU time on these noisy machines the count repeats to
// within 0.1 %, so a change of 1 % can be read off it; it does not see cache misses, which time does.
// The round is the difference between 16 and 8 passes over 500 calls, divided by 8 × 500: start-up,
// compilation and warm-up cancel out. Needs valgrind (`apt-get install -y valgrind`); takes about
// two minutes on two cores.
import { execFile } from 'node:child_process'
import { compileBench } from '../support/compileBench.js'

const CALLS = 500
const FEW = 8
const MANY = 16

const count = (script: string, passes: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', '--predictable-gc-schedule', '--random-seed=1', '--hash-seed=1', script, String(passes)]
    execFile('valgrind', args, { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      const collected = /Collected : (\d+)/.exec(stderr)
      if (err !== null || collected?.[1] === undefined) reject(new Error(`valgrind failed (is it installed? apt-get install -y valgrind): ${err?.message ?? stderr.slice(-500)}`))
      else resolve(Number(collected[1]))
    })
  })

const dir = await compileBench()
const script = `${dir}bench/instructions/instructionRound.js`
const [few, many] = await Promise.all([count(script, FEW), count(script, MANY)])
const perRound = (many - few) / ((MANY - FEW) * CALLS)
process.stdout.write(`${Math.round(perRound).toLocaleString('en-US')} instructions per call round (completion + roster + command), in process, ${CALLS} calls (${MANY} passes ${many.toLocaleString('en-US')}, ${FEW} passes ${few.toLocaleString('en-US')})\n`)
