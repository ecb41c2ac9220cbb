import path from 'node:path'
import ts from 'typescript'

/**
 * Compiles one in-memory module at `fileName` as a user's strict TypeScript would (the project's
 * tsconfig), answering the compiler's errors. Library and project files are parsed once for all
 * compiles; only the module's text changes between them.
 */
export const snippetCompiler = (root: string, fileName: string): { readonly compile: (source: string) => string[]; readonly strict: boolean } => {
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root)
  const host = ts.createCompilerHost({ ...options, noEmit: true })
  const parsed = new Map<string, ts.SourceFile | undefined>()
  const readSourceFile = host.getSourceFile.bind(host)
  let source = ''
  host.getSourceFile = (name, version, ...rest) => {
    if (name === fileName) return ts.createSourceFile(name, source, version)
    if (!parsed.has(name)) parsed.set(name, readSourceFile(name, version, ...rest))
    return parsed.get(name)
  }
  const compile = (code: string): string[] => {
    source = code
    const program = ts.createProgram({ rootNames: [fileName], options: { ...options, noEmit: true }, host })
    const file = program.getSourceFile(fileName)
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  }
  return { compile, strict: options.strict === true }
}
