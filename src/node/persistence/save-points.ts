/**
 * `save <seconds> <changes> [<seconds> <changes> ...]` (config.c setConfigSaveOption) and the serverCron rule that
 * triggers a BGSAVE from them (server.c: "If there is not a background saving/rewrite in progress check if we
 * have to save/rewrite now").
 */

export interface SavePoint {
  readonly seconds: number;
  readonly changes: number;
}

/** Redis 7.0's default when no `save` line is given: 3600 1, 300 100, 60 10000. */
export const DEFAULT_SAVE_POINTS: readonly SavePoint[] = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
];

/** server.h CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, wait this long before the next automatic try. */
export const BGSAVE_RETRY_DELAY_S = 5;

/**
 * Parse the argument list of `save` (already split). `save ""` (a single empty argument) clears the points.
 * Returns null when the list is malformed (odd count, non-integers, negatives): Redis's "Invalid save parameters".
 */
export function parseSavePoints(args: readonly string[]): SavePoint[] | null {
  if (args.length === 1 && args[0] === '') return [];
  if (args.length === 0 || args.length % 2 !== 0) return null;
  const out: SavePoint[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const s = args[i]!;
    const c = args[i + 1]!;
    if (!/^\d+$/.test(s) || !/^\d+$/.test(c)) return null;
    out.push({ seconds: Number(s), changes: Number(c) });
  }
  return out;
}

/** CONFIG GET save: "3600 1 300 100 60 10000", or "" when none. */
export function formatSavePoints(points: readonly SavePoint[]): string {
  return points.map((p) => `${p.seconds} ${p.changes}`).join(' ');
}

export interface SaveState {
  /** server.dirty */
  readonly dirty: number;
  /** Unix seconds of the last successful save. */
  readonly lastSave: number;
  /** Unix seconds of the last BGSAVE attempt. */
  readonly lastBgsaveTry: number;
  readonly lastBgsaveOk: boolean;
}

/** The first save point that is due now (serverCron), or null. */
export function dueSavePoint(points: readonly SavePoint[], s: SaveState, nowS: number): SavePoint | null {
  for (const sp of points) {
    if (
      s.dirty >= sp.changes &&
      nowS - s.lastSave > sp.seconds &&
      (nowS - s.lastBgsaveTry > BGSAVE_RETRY_DELAY_S || s.lastBgsaveOk)
    ) {
      return sp;
    }
  }
  return null;
}
