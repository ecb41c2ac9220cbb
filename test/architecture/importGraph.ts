import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/** One import of a source file, as the compiler reads it. */
export interface ImportEdge {
  /** The importing file, relative to the root (`src/runtime/applyInMemory.ts`). */
  readonly from: string
  /** The imported file relative to the root, or the package name for a bare specifier. */
  readonly to: string
  /** `import type` / `export type`, or every named binding type-only: erased at run time. */
  readonly typeOnly: boolean
}

const listTs = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return listTs(full)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : []
  })

const isTypeOnly = (node: ts.ImportDeclaration | ts.ExportDeclaration): boolean => {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause
    if (clause === undefined) return false
    if (clause.isTypeOnly) return true
    if (clause.name !== undefined) return false
    const bindings = clause.namedBindings
    return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
  }
  if (node.isTypeOnly) return true
  const clause = node.exportClause
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
}

const packageOf = (specifier: string): string => {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

/** Every import and re-export of every `.ts` file under `dirs` (relative to `root`). */
export const importGraph = (root: string, dirs: readonly string[]): ImportEdge[] => {
  const edges: ImportEdge[] = []
  for (const file of dirs.flatMap((d) => listTs(path.join(root, d)))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
    const from = path.relative(root, file)
    for (const node of source.statements) {
      if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue
      const spec = node.moduleSpecifier
      if (spec === undefined || !ts.isStringLiteral(spec)) continue
      const text = spec.text
      const to = text.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), text)).replace(/\.js$/, '.ts') : packageOf(text)
      edges.push({ from, to, typeOnly: isTypeOnly(node) })
    }
  }
  return edges
}
