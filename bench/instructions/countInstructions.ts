// `npm run bench:instructions`: instructions the orchestrator executes in process (no HTTP) per
// call round (one completion notification, one roster notification, one command with its answer),
// counted by valgrind's callgrind. Unlike CPU time on these noisy machines (15 % between runs of
// one tree) the count outside the garbage collector repeats to within about 2 %; it does not see
// cache misses, which time does. The round is the difference between
// 16 and 8 passes over 500 calls, divided by 8 × 500: start-up, compilation and warm-up cancel out.
// Two figures: everything, and what runs outside the garbage collector. The collector's share moves
// in steps (a major collection falls inside the measured passes or not, and a small change of what
// is allocated moves it), so a change of the code is read off the second figure, and a change of
// what it allocates off bench/allocationCosts.ts. Needs valgrind (`apt-get install -y valgrind`);
// about 80 s on two cores.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileBench } from '../support/compileBench.js'

const CALLS = 500
const FEW = 8
const MANY = 16

// The collector's own functions (scavenger, marker, sweeper, their visitors and work lists), by
// their demangled names; allocation and the write barrier stay with the code that allocates.
const COLLECTOR = /v8::internal::(\w+::)*(\w*(Scaveng|Marking|MarkCompact|Mark(er|ing)?Visitor|Sweep|Evacuat|Worklist|GCTracer|ConcurrentMarking|IncrementalMarking)\w*|BodyDescriptor\w*)::|v8::internal::\w*(Scaveng|Evacuat|Sweep)\w*\(|heap::base::/

interface Count {
  readonly all: number
  readonly collector: number
}

const run = (file: string, args: readonly string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => (err === null ? resolve(`${stdout}\n${stderr}`) : reject(new Error(`${file} failed (is valgrind installed? apt-get install -y valgrind): ${err.message}`))))
  })

const count = async (script: string, passes: number, out: string): Promise<Count> => {
  await run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--predictable', '--predictable-gc-schedule', '--random-seed=1', '--hash-seed=1', script, String(passes)])
  // Self cost per function: a function's own instructions, so no instruction counts twice.
  const annotated = await run('callgrind_annotate', ['--threshold=100', out])
  let all = 0
  let collector = 0
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$/.exec(line)
    if (m?.[1] === undefined || m[2] === undefined) continue
    const ir = Number(m[1].replaceAll(',', ''))
    if (m[2].includes('PROGRAM TOTALS')) all = ir
    else if (COLLECTOR.test(m[2])) collector += ir
  }
  return { all, collector }
}

// Another tree may be counted: `npm run bench:instructions -- <its .cache/callops-bench/ folder>`,
// once `npx tsc -p bench/tsconfig.json` has compiled it there (with this round script in it).
const dir = process.argv[2] ?? (await compileBench())
const script = join(dir, 'bench/instructions/instructionRound.js')
const work = mkdtempSync(join(tmpdir(), 'callops-instructions-'))
try {
  const [few, many] = await Promise.all([count(script, FEW, join(work, 'few')), count(script, MANY, join(work, 'many'))])
  const per = (f: (c: Count) => number): string => Math.round((f(many) - f(few)) / ((MANY - FEW) * CALLS)).toLocaleString('en-US')
  process.stdout.write(
    `instructions per call round (completion + roster + command), in process, ${CALLS} calls:\n` +
      `  ${per((c) => c.all - c.collector)} outside the garbage collector\n` +
      `  ${per((c) => c.collector)} in the garbage collector\n` +
      `  ${per((c) => c.all)} in all (${MANY} passes ${many.all.toLocaleString('en-US')}, ${FEW} passes ${few.all.toLocaleString('en-US')})\n`,
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
