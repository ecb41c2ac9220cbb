import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** Where `bench/tsconfig.json` compiles the bench, src/ and machines/ to. */
export const compiledDir = fileURLToPath(new URL('../../.cache/callops-bench/', import.meta.url))

/**
 * Compiles the bench (and the src/ and machines/ it imports) to plain JavaScript with tsc, so the
 * measured processes run what a user runs (no tsx loader thread) and CPU profiles name real
 * functions and lines. Type errors elsewhere in the tree do not stop it: the emit is what counts.
 * Resolves the output folder.
 */
export const compileBench = async (): Promise<string> => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const project = fileURLToPath(new URL('../tsconfig.json', import.meta.url))
  const output = await new Promise<string>((resolve) => {
    execFile(process.execPath, [tsc, '-p', project], { maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`))
  })
  if (!existsSync(`${compiledDir}bench/e2e/botProcess.js`)) throw new Error(`tsc emitted nothing:\n${output}`)
  return compiledDir
}
