import { UserError } from '../errors.js'

/**
 * A small argv parser shared by every command: `--name value`, `--name=value`, repeated
 * flags collect into arrays, flags that take several values (`--positives a.fa b.fa`) read
 * until the next `--flag`, and bare words are positionals.
 */
export interface FlagSpec {
  /** 'boolean' takes no value; 'string' one; 'list' one or more (repeatable). */
  type: 'boolean' | 'string' | 'list'
  alias?: string
}

export interface ParsedArgs {
  flags: Record<string, string | string[] | boolean | undefined>
  positionals: string[]
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>, command: string): ParsedArgs {
  const flags: ParsedArgs['flags'] = {}
  const positionals: string[] = []
  const aliases = new Map<string, string>()
  for (const [name, s] of Object.entries(spec)) if (s.alias) aliases.set(s.alias, name)

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg)
      continue
    }
    let name = arg.replace(/^--?/, '')
    let inline: string | undefined
    const eq = name.indexOf('=')
    if (eq >= 0) {
      inline = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    name = aliases.get(name) ?? name
    const s = spec[name]
    if (!s) throw new UserError(`${command}: unknown option '${arg}'; see 'motiflens ${command} --help'`, { exitCode: 2 })
    if (s.type === 'boolean') {
      if (inline !== undefined) throw new UserError(`${command}: option '--${name}' takes no value`, { exitCode: 2 })
      flags[name] = true
      continue
    }
    const values: string[] = []
    if (inline !== undefined) values.push(inline)
    else {
      while (i + 1 < argv.length && !(argv[i + 1].startsWith('--') && argv[i + 1].length > 2)) {
        values.push(argv[++i])
        if (s.type === 'string') break
      }
    }
    if (values.length === 0) throw new UserError(`${command}: option '--${name}' needs a value`, { exitCode: 2 })
    if (s.type === 'string') {
      if (flags[name] !== undefined) throw new UserError(`${command}: option '--${name}' given twice`, { exitCode: 2 })
      flags[name] = values[0]
    } else {
      const prev = flags[name]
      flags[name] = [...(Array.isArray(prev) ? prev : []), ...values]
    }
  }
  return { flags, positionals }
}

export function stringFlag(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags[name]
  return typeof v === 'string' ? v : undefined
}

export function listFlag(p: ParsedArgs, name: string): string[] {
  const v = p.flags[name]
  return Array.isArray(v) ? v : []
}

export function boolFlag(p: ParsedArgs, name: string): boolean {
  return p.flags[name] === true
}

/** Parse a numeric flag, with a message that names the flag when it is not a number in range. */
export function numberFlag(
  p: ParsedArgs,
  name: string,
  command: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const raw = stringFlag(p, name)
  if (raw === undefined) return undefined
  const v = Number(raw)
  const bad =
    !Number.isFinite(v) ||
    (opts.integer && !Number.isInteger(v)) ||
    (opts.min !== undefined && v < opts.min) ||
    (opts.max !== undefined && v > opts.max)
  if (bad) {
    const range = [opts.integer ? 'an integer' : 'a number', opts.min !== undefined ? `>= ${opts.min}` : '', opts.max !== undefined ? `<= ${opts.max}` : '']
      .filter(Boolean)
      .join(' ')
    throw new UserError(`${command}: --${name} '${raw}' is not ${range}`, { exitCode: 2 })
  }
  return v
}
