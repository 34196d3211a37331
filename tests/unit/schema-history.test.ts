import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANGELOG_PATH, SDL_PATH, previousSchema } from '../../src/schema/schema-history';

/** A scratch repository per test, so the choice of base commit is tested without this repo's history. */
let dir: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    env: process.env,
    encoding: 'utf8',
  }).trim();
const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', message);
  return git('rev-parse', 'HEAD');
};

// A test run from a git hook inherits GIT_DIR and friends, which would point these commands at the real
// repository instead of the scratch one.
const inherited = Object.entries(process.env).filter(([k]) => k.startsWith('GIT_'));
beforeAll(() => inherited.forEach(([k]) => delete process.env[k]));
afterAll(() => inherited.forEach(([k, v]) => (process.env[k] = v)));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'schema-history-'));
  git('init', '-q');
  delete process.env.SCHEMA_BASE_REF;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.SCHEMA_BASE_REF;
});

test('outside a git checkout the comparison is skipped with a reason', () => {
  rmSync(join(dir, '.git'), { recursive: true });
  expect(previousSchema(dir)).toEqual({ skipped: expect.stringMatching(/not a git checkout/) });
});

test('the first commit has no previous schema: skipped', () => {
  write(SDL_PATH, 'v1');
  commit('one');
  expect(previousSchema(dir)).toEqual({ skipped: expect.stringMatching(/no parent/) });
});

test('a clean tree compares with the parent of the last commit that changed the SDL', () => {
  write(SDL_PATH, 'v1');
  write(CHANGELOG_PATH, 'log v1');
  const first = commit('one');
  write(SDL_PATH, 'v2');
  const second = commit('two');
  write('README.md', 'unrelated');
  commit('three');
  expect(previousSchema(dir)).toMatchObject({ ref: `${second}^`, sdl: 'v1', changelog: 'log v1' });
  expect(git('rev-parse', `${second}^`)).toBe(first);
});

test('a shallow clone without the parent is skipped with a reason', () => {
  write(SDL_PATH, 'v1');
  commit('one');
  write(SDL_PATH, 'v2');
  commit('two');
  const origin = dir;
  dir = mkdtempSync(join(tmpdir(), 'schema-history-shallow-'));
  try {
    git('clone', '-q', '--depth', '1', `file://${origin}`, '.');
    expect(previousSchema(dir)).toEqual({ skipped: expect.stringMatching(/shallow clone/) });
  } finally {
    rmSync(origin, { recursive: true, force: true });
  }
});

test('a working tree that changes the SDL compares with HEAD', () => {
  write(SDL_PATH, 'v1');
  commit('one');
  write(SDL_PATH, 'v2');
  expect(previousSchema(dir)).toMatchObject({ ref: 'HEAD', sdl: 'v1', changelog: null });
});

test('SCHEMA_BASE_REF overrides the choice, and an unknown ref is an error', () => {
  write(SDL_PATH, 'v1');
  const first = commit('one');
  write(SDL_PATH, 'v2');
  commit('two');
  write(SDL_PATH, 'v3');
  commit('three');
  process.env.SCHEMA_BASE_REF = first;
  expect(previousSchema(dir)).toMatchObject({ ref: first, sdl: 'v1' });
  process.env.SCHEMA_BASE_REF = 'no-such-ref';
  expect(() => previousSchema(dir)).toThrow(/not a commit/);
});
