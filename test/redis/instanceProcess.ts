// One orchestrator instance as its own OS process, for the many-instance tests. Run with
// `node --import tsx test/redis/instanceProcess.ts` (or `npx tsx`); configured by environment:
// REDIS_URL, PREFIX, GRAPH_URL, CONNECTION_NAME, INSTANCE_TTL_MS, SWEEP_MS.
// Protocol: one JSON object per line. Out: {"type":"ready","port":…} once, then {"id":…,"result":…}
// per command. In: {"id":…,"op":"run","action":…,"req":{…}} | {"id":…,"op":"restore"} |
// {"id":…,"op":"stats"} | {"id":…,"op":"close"} | {"id":…,"op":"runAll","at":<epoch ms>,"spacingMs":…,"items":[{action,req}]}
// (runAll starts item k at wall-clock time `at + k * spacingMs`, so two processes can race at set moments).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { createCallOrchestrator, type ActionName } from '../../src/index.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback
  if (v === undefined) throw new Error(`${name} is not set`)
  return v
}

const redis = new Redis(env('REDIS_URL'), { connectionName: env('CONNECTION_NAME', 'callops-test-instance') })
redis.on('error', () => {})
const store = createRedisStore({ redis, prefix: env('PREFIX') })
// Warnings and errors go to stderr, which the parent shows when a test fails.
const log = (level: string) => (obj: Record<string, unknown>, msg?: string) => process.stderr.write(`${JSON.stringify({ level, msg, ...obj })}\n`)
const logger = { debug: () => {}, info: () => {}, warn: log('warn'), error: log('error') }
const orchestrator = createCallOrchestrator({
  logger,
  graph: { baseUrl: env('GRAPH_URL'), getToken: async () => 'test-token', retry: { retries: 2, minDelayMs: 20, maxDelayMs: 100 } },
  store,
  notificationAuth: false,
  keepAlive: false,
  instanceTtlMs: Number(env('INSTANCE_TTL_MS', '1000')),
  sweepIntervalMs: Number(env('SWEEP_MS', '200')),
  timeouts: { startHoldMusic: 20_000, stopHoldMusic: 20_000, unmute: 20_000 },
})
const server = http.createServer(orchestrator.webhook)
server.keepAliveTimeout = 10_000

const write = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

interface Command {
  readonly id: number
  readonly op: 'run' | 'runAll' | 'restore' | 'stats' | 'close'
  readonly action?: ActionName
  readonly req?: Record<string, unknown>
  readonly at?: number
  readonly spacingMs?: number
  readonly items?: readonly { readonly action: ActionName; readonly req: Record<string, unknown> }[]
}

const handle = async (c: Command): Promise<unknown> => {
  switch (c.op) {
    case 'run':
      // The parent builds requests from the catalog's own shapes; this process only relays them.
      return orchestrator.run(c.action as ActionName, c.req as never)
    case 'runAll':
      return Promise.all(
        (c.items ?? []).map(async (i, k) => {
          await new Promise((r) => setTimeout(r, Math.max(0, (c.at ?? 0) + k * (c.spacingMs ?? 0) - Date.now())))
          return orchestrator.run(i.action, i.req as never)
        }),
      )
    case 'restore':
      return orchestrator.restore()
    case 'stats':
      return orchestrator.stats()
    case 'close':
      await orchestrator.close()
      await store.close()
      await redis.quit()
      server.closeAllConnections()
      server.close()
      return 'closed'
  }
}

server.listen(0, '127.0.0.1', () => {
  write({ type: 'ready', port: (server.address() as AddressInfo).port, pid: process.pid })
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const c = JSON.parse(line) as Command
    handle(c).then(
      (result) => {
        write({ id: c.id, result })
        if (c.op === 'close') setTimeout(() => process.exit(0), 10)
      },
      (err: unknown) => write({ id: c.id, error: err instanceof Error ? err.message : String(err) }),
    )
  })
  lines.on('close', () => process.exit(0))
})
