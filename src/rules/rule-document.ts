/**
 * One rule file as the runtime read it (src/runtime/rule-files.ts): the rules floor never touches
 * the disk, it only validates and builds what it is handed, so every builder is a pure function.
 */
export type RuleDocument = {
  /** The path messages name, relative to the working directory (e.g. `src/rules/values/000000/benefits.yaml`). */
  readonly file: string;
  /** The file name, e.g. `330000.yaml`. */
  readonly name: string;
  /** The folder the file sits in below its family's folder ('' at the top), e.g. a region code. */
  readonly folder: string;
  /** The parsed YAML, or the parser's message when the text is not YAML. */
  readonly content:
    | { readonly ok: true; readonly data: unknown }
    | { readonly ok: false; readonly message: string };
};

/**
 * Where a family's files are, below the values folder: `region-folders` is
 * `<dir>/<6-digit region>/*.yaml` (benefits), `region-files` is `<dir>/*.yaml` with one file per
 * region (pooling, indicators).
 */
export type RuleFileSource = {
  readonly dir: string;
  readonly layout: 'region-folders' | 'region-files';
};
