import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export interface ContractGap {
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(arg:)` or `Enum.VALUE`. */
  coordinate: string;
  problem: 'missing' | 'type differs' | 'kind differs' | 'new required argument';
  expected?: string;
  actual?: string;
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isUnionType(type)) return 'union';
  return 'scalar';
}

/**
 * Everything the contract names that the served schema lacks or types differently. The server
 * may add types, fields, optional arguments and enum values; it may not drop, rename or retype.
 */
export function contractGaps(contractSdl: string, served: GraphQLSchema): ContractGap[] {
  const contract = buildSchema(contractSdl);
  const gaps: ContractGap[] = [];
  for (const expected of Object.values(contract.getTypeMap())) {
    if (
      expected.name.startsWith('__') ||
      (isScalarType(expected) &&
        expected.specifiedByURL === undefined &&
        ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(expected.name))
    )
      continue;
    const actual = served.getType(expected.name);
    if (!actual) {
      gaps.push({ coordinate: expected.name, problem: 'missing' });
      continue;
    }
    if (kindOf(actual) !== kindOf(expected)) {
      gaps.push({
        coordinate: expected.name,
        problem: 'kind differs',
        expected: kindOf(expected),
        actual: kindOf(actual),
      });
      continue;
    }
    if (isEnumType(expected) && isEnumType(actual)) {
      const values = new Set(actual.getValues().map((v) => v.name));
      for (const v of expected.getValues()) {
        if (!values.has(v.name)) gaps.push({ coordinate: `${expected.name}.${v.name}`, problem: 'missing' });
      }
    }
    if (isInputObjectType(expected) && isInputObjectType(actual)) {
      const fields = actual.getFields();
      for (const f of Object.values(expected.getFields())) {
        const coordinate = `${expected.name}.${f.name}`;
        const got = fields[f.name];
        if (!got) gaps.push({ coordinate, problem: 'missing' });
        else if (String(got.type) !== String(f.type)) {
          gaps.push({ coordinate, problem: 'type differs', expected: String(f.type), actual: String(got.type) });
        }
      }
      for (const got of Object.values(fields)) {
        if (!expected.getFields()[got.name] && String(got.type).endsWith('!') && got.defaultValue === undefined) {
          gaps.push({
            coordinate: `${expected.name}.${got.name}`,
            problem: 'new required argument',
            actual: String(got.type),
          });
        }
      }
    }
    if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
      const fields = actual.getFields();
      for (const f of Object.values(expected.getFields())) {
        const coordinate = `${expected.name}.${f.name}`;
        const got = fields[f.name];
        if (!got) {
          gaps.push({ coordinate, problem: 'missing' });
          continue;
        }
        if (String(got.type) !== String(f.type)) {
          gaps.push({ coordinate, problem: 'type differs', expected: String(f.type), actual: String(got.type) });
        }
        for (const arg of f.args) {
          const gotArg = got.args.find((a) => a.name === arg.name);
          const argCoordinate = `${coordinate}(${arg.name}:)`;
          if (!gotArg) gaps.push({ coordinate: argCoordinate, problem: 'missing' });
          else if (String(gotArg.type) !== String(arg.type)) {
            gaps.push({
              coordinate: argCoordinate,
              problem: 'type differs',
              expected: String(arg.type),
              actual: String(gotArg.type),
            });
          }
        }
        for (const gotArg of got.args) {
          if (
            !f.args.some((a) => a.name === gotArg.name) &&
            String(gotArg.type).endsWith('!') &&
            gotArg.defaultValue === undefined
          ) {
            gaps.push({
              coordinate: `${coordinate}(${gotArg.name}:)`,
              problem: 'new required argument',
              actual: String(gotArg.type),
            });
          }
        }
      }
    }
  }
  return gaps;
}

/** Reads contract-pending.txt: one coordinate per line, `#` comments allowed. */
export function parsePendingList(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}
