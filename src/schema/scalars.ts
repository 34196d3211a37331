import Decimal from 'decimal.js';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { formatDateTime, isValidIsoDate } from '../services/time';
import { decimalText } from '../services/validation';

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function stringLiteral(ast: ValueNode, name: string): string {
  if (ast.kind !== Kind.STRING) throw invalid(`${name} 应为字符串`);
  return ast.value;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with offset (served in Asia/Shanghai time, +08:00).',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime 值无效');
    return formatDateTime(date);
  },
  parseValue(value) {
    return parseDateTime(value);
  },
  parseLiteral(ast) {
    return parseDateTime(stringLiteral(ast, 'DateTime'));
  },
});

function parseDateTime(value: unknown): Date {
  // An offset is required: a bare local time would be ambiguous.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw invalid('DateTime 应为带时区的 ISO 8601 时间，如 2026-11-28T09:30:00+08:00');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid('DateTime 值无效');
  return date;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD (Asia/Shanghai).',
  serialize(value) {
    if (value instanceof Date) return formatDateTime(value).slice(0, 10);
    return String(value);
  },
  parseValue(value) {
    return parseDate(value);
  },
  parseLiteral(ast) {
    return parseDate(stringLiteral(ast, 'Date'));
  },
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isValidIsoDate(value)) throw invalid('Date 应为有效日期 YYYY-MM-DD');
  return value;
}

/** Money and rates: a decimal string, never a float. Input is normalised text (Decimal.js validates it). */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal as a string, e.g. "1250000.00" (yuan) or "3.85" (percent a year).',
  serialize(value) {
    if (value instanceof Decimal) return value.toFixed();
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isInteger(value)) return String(value);
    throw new GraphQLError('Decimal 输出值无效');
  },
  parseValue(value) {
    return parseDecimal(value);
  },
  parseLiteral(ast) {
    // A number literal (1250000.5) is accepted too; its text is exact in the document.
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    return parseDecimal(stringLiteral(ast, 'Decimal'));
  },
});

function parseDecimal(value: unknown): string {
  const text = decimalText(value);
  if (text === null) throw invalid('Decimal 应为十进制数字字符串，如 "1250000.00"');
  return text;
}
