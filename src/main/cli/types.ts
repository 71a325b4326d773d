/** The interface every `motiflens <command>` implements. */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTTY: boolean
  cwd: string
  env: Record<string, string | undefined>
}

export interface CliCommand {
  name: string
  /** One line for `motiflens --help`. */
  summary: string
  /** Full usage text for `motiflens <name> --help`. */
  usage: string
  /** Returns the process exit code. Throw UserError for bad input. */
  run(argv: string[], io: CliIO): Promise<number>
}
