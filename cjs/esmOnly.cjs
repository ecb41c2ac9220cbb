'use strict'
// What `require('callops')` gets: callops is published as ES modules only, and says how to load it.
const error = new Error(
  [
    'callops is an ES module package (ESM only): it cannot be loaded with require().',
    "  In an ES module (\"type\": \"module\" in package.json, or a .mjs/.mts file): import { createCallOrchestrator } from 'callops'",
    "  From CommonJS: const { createCallOrchestrator } = await import('callops')",
    '  With TypeScript: "module": "NodeNext" and an ES module file, or run it with tsx.',
  ].join('\n'),
)
error.code = 'ERR_REQUIRE_ESM'
throw error
