import { execFileSync } from 'node:child_process';

export const SDL_PATH = 'src/schema/schema.graphql';
export const CHANGELOG_PATH = 'docs/CHANGELOG.md';

export type PreviousSchema = { ref: string; why: string; sdl: string; changelog: string | null } | { skipped: string };

function git(root: string, args: string[]): string | null {
  try {
    // env passed explicitly: under jest, process.env is the test's own copy, which tests may adjust.
    return execFileSync('git', args, {
      cwd: root,
      env: process.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

function show(root: string, ref: string, path: string): string | null {
  return git(root, ['show', `${ref}:${path}`]);
}

/**
 * The schema to compare the working tree with, and the changelog as it was then:
 * - `SCHEMA_BASE_REF` when set (CI that tests a branch of several commits can pass its merge base);
 * - HEAD while the working tree's SDL differs from it (a change being made);
 * - otherwise the parent of the last commit that changed the SDL, so in a fresh clone the commit that
 *   changed the schema is checked against the one before it, and stays checked until the next change.
 * A checkout without git, or a shallow clone that lacks that parent, is skipped with the reason.
 */
export function previousSchema(root: string): PreviousSchema {
  if (git(root, ['rev-parse', '--verify', '-q', 'HEAD']) === null) {
    return { skipped: 'not a git checkout with commits' };
  }

  const pick = (ref: string, why: string): PreviousSchema => {
    const sdl = show(root, ref, SDL_PATH);
    if (sdl === null) return { skipped: `${ref} has no ${SDL_PATH}` };
    return { ref, why, sdl, changelog: show(root, ref, CHANGELOG_PATH) };
  };

  const base = process.env.SCHEMA_BASE_REF;
  if (base) {
    if (git(root, ['rev-parse', '--verify', '-q', `${base}^{commit}`]) === null) {
      throw new Error(`SCHEMA_BASE_REF=${base} is not a commit in this clone`);
    }
    return pick(base, 'SCHEMA_BASE_REF');
  }

  if (git(root, ['status', '--porcelain', '--', SDL_PATH])?.trim()) {
    return pick('HEAD', 'the working tree changes the SDL');
  }

  const last = git(root, ['log', '-1', '--format=%H', '--', SDL_PATH])?.trim();
  if (!last) return { skipped: `${SDL_PATH} has no history` };
  if (git(root, ['rev-parse', '--verify', '-q', `${last}^`]) === null) {
    return {
      skipped:
        `${last.slice(0, 12)} (the last commit that changed the SDL) has no parent in this clone ` +
        '(first commit or shallow clone; fetch more history or set SCHEMA_BASE_REF)',
    };
  }
  return pick(`${last}^`, `the parent of ${last.slice(0, 12)}, the last commit that changed the SDL`);
}
