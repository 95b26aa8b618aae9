import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files are handed to the two workers. Vitest's own order runs the projects one after
 * another by name (db-pg, db-pglite, e2e, unit) and, without a results cache (a fresh clone, as in
 * CI), each project's files by size. The longest files are the browser journeys and the process
 * tests (30–100 s each, against 1–20 s for most database files), so a journey started late left
 * one worker running it alone at the end. Longest first keeps both workers busy to the end: the
 * journeys and process tests first, then the database files, then the unit files; inside each
 * class vitest's own order (the cached duration where there is one, else the file size).
 */
const RANK: Readonly<Record<string, number>> = { e2e: 0, process: 0, 'db-pg': 1, 'db-pglite': 1 };

function rank(spec: TestSpecification): number {
  return RANK[spec.project.name] ?? 2;
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await super.sort(files);
    const position = new Map(byVitest.map((spec, i) => [spec, i]));
    return [...byVitest].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        rank(a) - rank(b) ||
        (position.get(a) ?? 0) - (position.get(b) ?? 0),
    );
  }
}
