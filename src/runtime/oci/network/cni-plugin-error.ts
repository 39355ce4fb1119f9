// CNI errors: a plugin that fails exits non-zero and prints
// {"cniVersion", "code", "msg", "details"} on stdout (CNI SPEC "Error";
// codes 1–99 are the spec's: 1 incompatible version, 2 unsupported field,
// 3 unknown container, 4 invalid env, 5 I/O, 6 decode, 7 invalid config,
// 11 try again later).

export class CniPluginError extends Error {
  readonly plugin: string;
  readonly command: string;
  /** The CNI error code; 0 when the plugin printed no error object. */
  readonly code: number;
  readonly details: string;

  constructor(plugin: string, command: string, code: number, msg: string, details: string) {
    // libcni's wording: "plugin type=\"bridge\" failed (add): <msg>".
    super(`plugin type="${plugin}" failed (${command.toLowerCase()}): ${msg}${details ? `: ${details}` : ''}`);
    this.name = 'CniPluginError';
    this.plugin = plugin;
    this.command = command;
    this.code = code;
    this.details = details;
  }
}

interface ErrorJson {
  code?: unknown;
  msg?: unknown;
  details?: unknown;
}

/** The error of a failed plugin run, from its stdout (the CNI error JSON) or else its stderr/status. */
export function cniPluginError(
  plugin: string,
  command: string,
  stdout: string,
  stderr: string,
  status: string,
): CniPluginError {
  try {
    const e = JSON.parse(stdout) as ErrorJson;
    if (typeof e.msg === 'string') {
      return new CniPluginError(
        plugin,
        command,
        typeof e.code === 'number' ? e.code : 0,
        e.msg,
        typeof e.details === 'string' ? e.details : '',
      );
    }
  } catch {
    // not JSON: fall through to what the process printed
  }
  const text = (stderr.trim() || stdout.trim() || status).split('\n').slice(-3).join('; ');
  return new CniPluginError(plugin, command, 0, text, '');
}
