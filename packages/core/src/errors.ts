const baseMarker = Symbol.for('corpus-proximity.error');

/** True when `error` carries `marker` (a Symbol.for key), so the check works across copies of core. */
function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/** Base class of every error corpus-proximity throws; `isInstance` works across copies of core. */
export class CorpusProximityError extends Error {
  readonly [baseMarker] = true;
  /** Machine-readable kind, e.g. "invalid-input". */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorpusProximityError';
    this.code = code;
  }

  /** True for any corpus-proximity error, even one from another copy of the package. */
  static isInstance(error: unknown): error is CorpusProximityError {
    return hasMarker(error, baseMarker);
  }

  /** True when `error` is a corpus-proximity error carrying a subclass's own marker; for subclasses' isInstance. */
  protected static hasMarker(error: unknown, marker: symbol): boolean {
    return hasMarker(error, baseMarker) && hasMarker(error, marker);
  }
}

const invalidInputMarker = Symbol.for('corpus-proximity.error.invalid-input');

/** Bad user input: a malformed line, a missing field, invalid UTF-8, an empty corpus. */
export class InvalidInputError extends CorpusProximityError {
  readonly [invalidInputMarker] = true;
  readonly file?: string;
  readonly line?: number;
  constructor(message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    super('invalid-input', message, options);
    this.name = 'InvalidInputError';
    this.file = options.file;
    this.line = options.line;
  }

  /** True for an InvalidInputError, even one from another copy of core. */
  static override isInstance(error: unknown): error is InvalidInputError {
    return CorpusProximityError.hasMarker(error, invalidInputMarker);
  }
}

const invalidIndexMarker = Symbol.for('corpus-proximity.error.invalid-index');

/** An index folder that is incomplete, corrupted or inconsistent. */
export class InvalidIndexError extends CorpusProximityError {
  readonly [invalidIndexMarker] = true;
  readonly directory: string;
  readonly file?: string;
  constructor(message: string, options: { directory: string; file?: string; cause?: unknown }) {
    super('invalid-index', message, options);
    this.name = 'InvalidIndexError';
    this.directory = options.directory;
    this.file = options.file;
  }

  /** True for an InvalidIndexError, even one from another copy of core. */
  static override isInstance(error: unknown): error is InvalidIndexError {
    return CorpusProximityError.hasMarker(error, invalidIndexMarker);
  }
}

const pluginMarker = Symbol.for('corpus-proximity.error.plugin');

/** A plugin broke its contract (wrong dimensions, NaN vectors, wrong label count…). */
export class PluginError extends CorpusProximityError {
  readonly [pluginMarker] = true;
  readonly plugin: string;
  constructor(plugin: string, message: string, options?: { cause?: unknown }) {
    super('plugin', `${plugin}: ${message}`, options);
    this.name = 'PluginError';
    this.plugin = plugin;
  }

  /** True for a PluginError, even one from another copy of core. */
  static override isInstance(error: unknown): error is PluginError {
    return CorpusProximityError.hasMarker(error, pluginMarker);
  }
}

const unsupportedSpecificationMarker = Symbol.for('corpus-proximity.error.unsupported-specification');

/** A plugin declares a specificationVersion this version of core does not know (or none at all). */
export class UnsupportedSpecificationError extends CorpusProximityError {
  readonly [unsupportedSpecificationMarker] = true;
  /** What kind of plugin it was handed as: "embedder", "clusterer", "namer", … */
  readonly kind: string;
  /** The version the plugin declared (undefined when it declared none). */
  readonly specificationVersion: unknown;
  /** The versions core supports for that kind. */
  readonly supported: readonly string[];
  constructor(options: { kind: string; specificationVersion: unknown; supported: readonly string[]; plugin?: string }) {
    const declared =
      options.specificationVersion === undefined ? 'no specificationVersion' : `specificationVersion ${JSON.stringify(options.specificationVersion)}`;
    super(
      'unsupported-specification',
      `${options.kind}${options.plugin ? ` "${options.plugin}"` : ''} declares ${declared}; this version of corpus-proximity supports ${options.supported.map((v) => `"${v}"`).join(', ')}. Update the plugin (or corpus-proximity) so they agree.`,
    );
    this.name = 'UnsupportedSpecificationError';
    this.kind = options.kind;
    this.specificationVersion = options.specificationVersion;
    this.supported = options.supported;
  }

  /** True for an UnsupportedSpecificationError, even one from another copy of core. */
  static override isInstance(error: unknown): error is UnsupportedSpecificationError {
    return CorpusProximityError.hasMarker(error, unsupportedSpecificationMarker);
  }
}

const embedderMismatchMarker = Symbol.for('corpus-proximity.error.embedder-mismatch');

/** Query and index embedders disagree (model, state or dimensions). */
export class EmbedderMismatchError extends CorpusProximityError {
  readonly [embedderMismatchMarker] = true;
  constructor(message: string) {
    super('embedder-mismatch', message);
    this.name = 'EmbedderMismatchError';
  }

  /** True for an EmbedderMismatchError, even one from another copy of core. */
  static override isInstance(error: unknown): error is EmbedderMismatchError {
    return CorpusProximityError.hasMarker(error, embedderMismatchMarker);
  }
}

const abortedMarker = Symbol.for('corpus-proximity.error.aborted');

/** The work was cancelled through an AbortSignal or a signal such as Ctrl-C. */
export class AbortedError extends CorpusProximityError {
  readonly [abortedMarker] = true;
  constructor(message = 'aborted') {
    super('aborted', message);
    this.name = 'AbortedError';
  }

  /** True for an AbortedError, even one from another copy of core. */
  static override isInstance(error: unknown): error is AbortedError {
    return CorpusProximityError.hasMarker(error, abortedMarker);
  }
}
