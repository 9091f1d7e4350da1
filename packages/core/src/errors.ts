const marker = Symbol.for('corpus-proximity.error');

/** Base class of every error corpus-proximity throws; `isInstance` works across copies of core. */
export class CorpusProximityError extends Error {
  readonly [marker] = true;
  /** Machine-readable kind, e.g. "invalid-input". */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorpusProximityError';
    this.code = code;
  }

  /** True for any corpus-proximity error, even one from another copy of the package. */
  static isInstance(error: unknown): error is CorpusProximityError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Bad user input: a malformed line, a missing field, invalid UTF-8, an empty corpus. */
export class InvalidInputError extends CorpusProximityError {
  readonly file?: string;
  readonly line?: number;
  constructor(message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    super('invalid-input', message, options);
    this.name = 'InvalidInputError';
    this.file = options.file;
    this.line = options.line;
  }
}

/** An index folder that is incomplete, corrupted or inconsistent. */
export class InvalidIndexError extends CorpusProximityError {
  readonly directory: string;
  readonly file?: string;
  constructor(message: string, options: { directory: string; file?: string; cause?: unknown }) {
    super('invalid-index', message, options);
    this.name = 'InvalidIndexError';
    this.directory = options.directory;
    this.file = options.file;
  }
}

/** A plugin broke its contract (wrong dimensions, NaN vectors, wrong label count…). */
export class PluginError extends CorpusProximityError {
  readonly plugin: string;
  constructor(plugin: string, message: string, options?: { cause?: unknown }) {
    super('plugin', `${plugin}: ${message}`, options);
    this.name = 'PluginError';
    this.plugin = plugin;
  }
}

/** Query and index embedders disagree (model, state or dimensions). */
export class EmbedderMismatchError extends CorpusProximityError {
  constructor(message: string) {
    super('embedder-mismatch', message);
    this.name = 'EmbedderMismatchError';
  }
}

/** The work was cancelled through an AbortSignal or a signal such as Ctrl-C. */
export class AbortedError extends CorpusProximityError {
  constructor(message = 'aborted') {
    super('aborted', message);
    this.name = 'AbortedError';
  }
}
