import path from 'node:path'
import ts from 'typescript'

/** One name exported by a public entry point. */
export interface PublicExport {
  /** The entry point, relative to the repository (`src/index.ts`). */
  readonly entry: string
  readonly name: string
  /** Where the exported symbol is declared, `file:line`. */
  readonly declaredAt: string
  /** The doc comment's text (summary), empty when there is none. */
  readonly doc: string
  /** The names of the doc comment's block tags (`example`, `param`...), over all its declarations. */
  readonly tags: readonly string[]
  /** For an interface: each member (inherited ones too) with its doc comment's text. */
  readonly members: readonly { readonly name: string; readonly doc: string }[]
}

/**
 * Walks the exports of each entry point with the TypeScript compiler API and returns every
 * exported name with the doc comment of the declaration it resolves to (through re-exports).
 */
export const publicExports = (root: string, entries: readonly string[]): PublicExport[] => {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), (f) => ts.sys.readFile(f))
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const program = ts.createProgram(
    entries.map((e) => path.join(root, e)),
    { ...parsed.options, noEmit: true },
  )
  const checker = program.getTypeChecker()
  const out: PublicExport[] = []
  for (const entry of entries) {
    const file = program.getSourceFile(path.join(root, entry))
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file)
    if (module === undefined) throw new Error(`${entry}: not a module`)
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const decl = symbol.declarations?.[0]
      const where = decl === undefined ? '?' : `${path.relative(root, decl.getSourceFile().fileName)}:${decl.getSourceFile().getLineAndCharacterOfPosition(decl.getStart()).line + 1}`
      const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
      const members =
        symbol.flags & ts.SymbolFlags.Interface
          ? checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((m) => ({
              name: m.getName(),
              doc: ts.displayPartsToString(m.getDocumentationComment(checker)).trim(),
            }))
          : []
      const tags = symbol.getJsDocTags(checker).map((t) => t.name)
      out.push({ entry, name: exported.getName(), declaredAt: where, doc, tags, members })
    }
  }
  return out
}
