import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { compareVersions, daysBetween, parseChangelog, type ChangelogVersion } from './changelog';

/** How long a deprecated element stays in the schema before it may be removed (docs/CHANGELOG.md). */
export const DEPRECATION_DAYS = 90;

export interface SchemaChange {
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(arg:)` or `Enum.VALUE`. */
  coordinate: string;
  level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
  type: string;
  message: string;
}

export interface Violation {
  coordinate: string;
  problem: string;
}

/** Every difference @graphql-inspector/core finds, classified by its criticality rules. */
export async function schemaChanges(oldSdl: string, newSdl: string): Promise<SchemaChange[]> {
  const changes = await diff(buildSchema(oldSdl), buildSchema(newSdl));
  return changes.map((c) => ({
    coordinate: coordinateOf(c),
    level: levelOf(c),
    type: c.type,
    message: c.message,
  }));
}

function levelOf(change: Change): SchemaChange['level'] {
  if (change.criticality.level === CriticalityLevel.Breaking) return 'BREAKING';
  if (change.criticality.level === CriticalityLevel.Dangerous) return 'DANGEROUS';
  return 'NON_BREAKING';
}

/** Inspector's paths name an argument `Type.field.arg`; the changelog uses the spec's `Type.field(arg:)`. */
function coordinateOf(change: Change): string {
  const path = change.path ?? change.type;
  const parts = path.split('.');
  if (change.type.startsWith('FIELD_ARGUMENT_') && parts.length === 3) return `${parts[0]}.${parts[1]}(${parts[2]}:)`;
  if (path.startsWith('@') && parts.length === 2) return `${parts[0]}(${parts[1]}:)`;
  return path;
}

/**
 * The contract is the floor: the served schema may add to it but never break it. Coordinates still
 * listed in contract-pending.txt are not built yet; schema.test.ts tracks them.
 */
export async function contractViolations(contractSdl: string, sdl: string, pending: string[]): Promise<Violation[]> {
  const notYetBuilt = new Set(pending);
  return (await schemaChanges(contractSdl, sdl))
    .filter((c) => c.level === 'BREAKING' && !notYetBuilt.has(c.coordinate))
    .map((c) => ({ coordinate: c.coordinate, problem: `breaks the contract: ${c.message}` }));
}

export interface PreviousSchemaInput {
  previousSdl: string;
  sdl: string;
  /** docs/CHANGELOG.md now, and as it was with the previous schema (null when it did not exist). */
  changelog: string;
  previousChangelog: string | null;
  deprecationDays?: number;
}

/**
 * A breaking change against the previous schema passes only when the changelog records it under a
 * version newer than every version of the previous changelog, after a full deprecation period, and —
 * for a removed field, argument, input field or enum value — when the previous schema deprecated it.
 */
export async function previousSchemaViolations(input: PreviousSchemaInput): Promise<Violation[]> {
  const days = input.deprecationDays ?? DEPRECATION_DAYS;
  const changelog = parseChangelog(input.changelog);
  const violations: Violation[] = changelog.problems.map((p) => ({ coordinate: 'docs/CHANGELOG.md', problem: p }));
  const breaking = (await schemaChanges(input.previousSdl, input.sdl)).filter((c) => c.level === 'BREAKING');
  if (breaking.length === 0) return violations;

  const released = parseChangelog(input.previousChangelog ?? '').versions.map((v) => v.version);
  const newVersions = changelog.versions.filter((v) => released.every((r) => compareVersions(v.version, r) > 0));
  const previous = buildSchema(input.previousSdl);
  for (const change of breaking) {
    const problem = recordProblem(change, newVersions, days) ?? deprecationProblem(change, previous);
    if (problem) violations.push({ coordinate: change.coordinate, problem: `${change.message}: ${problem}` });
  }
  return violations;
}

function recordProblem(change: SchemaChange, newVersions: ChangelogVersion[], days: number): string | undefined {
  const recorded = newVersions.flatMap((v) =>
    v.breaking.filter((e) => e.coordinate === change.coordinate).map((entry) => ({ version: v, entry })),
  );
  if (recorded.length === 0) {
    return `not recorded in a "### Breaking" list of a new version in docs/CHANGELOG.md`;
  }
  const { version, entry } = recorded[0];
  const period = daysBetween(entry.deprecatedSince, entry.removalAfter);
  if (period < days) return `deprecation period ${period} days (line ${entry.line}); at least ${days} are required`;
  if (version.date < entry.removalAfter) {
    return `version ${version.version} (${version.date}) comes before its removal date ${entry.removalAfter}`;
  }
  return undefined;
}

const REMOVALS = new Set(['FIELD_REMOVED', 'INPUT_FIELD_REMOVED', 'ENUM_VALUE_REMOVED', 'FIELD_ARGUMENT_REMOVED']);

function deprecationProblem(change: SchemaChange, previous: GraphQLSchema): string | undefined {
  if (!REMOVALS.has(change.type)) return undefined;
  if (deprecationReason(previous, change.coordinate)) return undefined;
  return 'the previous schema did not mark it @deprecated; deprecate it first, remove it after the period';
}

function deprecationReason(schema: GraphQLSchema, coordinate: string): string | null | undefined {
  const m = /^(\w+)\.(\w+)(?:\((\w+):\))?$/.exec(coordinate);
  if (!m) return undefined;
  const [, typeName, member, argName] = m;
  const type = schema.getType(typeName);
  if (isEnumType(type)) return type.getValue(member)?.deprecationReason;
  if (isInputObjectType(type)) return type.getFields()[member]?.deprecationReason;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    return argName ? field?.args.find((a) => a.name === argName)?.deprecationReason : field?.deprecationReason;
  }
  return undefined;
}

/**
 * Every type, field, argument, input field and enum value the server adds beyond the contract must say
 * what it is for: integrators read the schema in the IDE and in the generated client, not our source.
 */
export function undescribedAdditions(contractSdl: string, sdl: string): string[] {
  const contract = buildSchema(contractSdl);
  const served = buildSchema(sdl);
  const missing: string[] = [];
  const need = (description: string | null | undefined, coordinate: string) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(served.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const known = contract.getType(type.name);
    if (!known) need(type.description, type.name);
    const knownMembers = known ? membersOf(known) : new Map<string, Member>();
    for (const [name, member] of membersOf(type)) {
      const coordinate = `${type.name}.${name}`;
      const knownMember = knownMembers.get(name);
      if (!knownMember) need(member.description, coordinate);
      for (const arg of member.args) {
        if (!knownMember?.args.some((a) => a.name === arg.name)) need(arg.description, `${coordinate}(${arg.name}:)`);
      }
    }
  }
  return missing;
}

interface Member {
  description: string | null | undefined;
  args: readonly { name: string; description: string | null | undefined }[];
}

/** Fields (with their arguments), input fields or enum values, by name. */
function membersOf(type: GraphQLNamedType): Map<string, Member> {
  if (isObjectType(type) || isInterfaceType(type)) {
    return new Map(Object.values(type.getFields()).map((f) => [f.name, { description: f.description, args: f.args }]));
  }
  if (isInputObjectType(type)) {
    return new Map(Object.values(type.getFields()).map((f) => [f.name, { description: f.description, args: [] }]));
  }
  if (isEnumType(type)) {
    return new Map(type.getValues().map((v) => [v.name, { description: v.description, args: [] }]));
  }
  return new Map();
}
